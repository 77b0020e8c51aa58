// The one command that reads a training log on a server, from a byte offset, once to the end
// (review) or following what is appended (follow).
//
// It first prints a header line: the file's size (so that a file now shorter than what was
// already read is caught before a byte of it is taken), or that GNU tail is missing. Then GNU tail
// prints the file from the offset. Its notices (file truncated, replaced, gone, appeared) go to the
// same pipe with 2>&1: tail flushes what it printed of the file before it writes a notice, so a
// notice stands exactly where it happened in the byte stream, and no byte of a new file can be
// mistaken for the old one's. With separate stdout and stderr channels that order would be lost.
//
// Following uses `tail -F`: inotify wakes it the moment the file grows; -s 0.2 bounds the delay
// where inotify is unavailable (network file systems), and tail then says so in a notice.
// tail runs in the background while `cat` reads the channel's stdin, which nothing writes: when
// the channel closes, cat ends and the shell kills tail. Without that, a tail on a file that no
// longer grows would outlive the channel on the server, since only a write would tell it the
// reader had gone. (tail --pid cannot watch cat: as tail's child, cat would stay a zombie.)

import { sh } from '../../../../shared/remote/remoteCommand';
import type { RemoteCommand } from '../../../../shared/remote/remoteCommand';

/** The header line's words; `remoteLogCommand` spells them out literally in the command. */
export const HEADER_SIZE = 'qvl-log-size ';
export const HEADER_NO_TAIL = 'qvl-log-no-gnu-tail';
/** How often tail looks at the file when inotify cannot tell it (seconds). */
export const POLL_SECONDS = 0.2;

/** The path as a shell word: `~/x` becomes "$HOME"/'x' (a quoted ~ would not expand). */
export function pathWord(path: string): RemoteCommand {
  if (path === '~') return sh`"$HOME"`;
  if (path.startsWith('~/')) return sh`"$HOME"/${path.slice(2)}`;
  return sh`${path}`;
}

/** `size` is -1 when the file cannot be stat'ed (missing). */
export function remoteLogCommand(path: string, offset: number, follow: boolean): RemoteCommand {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`Not a byte offset: ${offset}`);
  const start = offset + 1;
  const header = sh`LC_ALL=C; export LC_ALL; f=${pathWord(path)}; tail --version >/dev/null 2>&1 || { echo qvl-log-no-gnu-tail; exit 0; }; size=$(stat -L -c %s -- "$f" 2>/dev/null) || size=-1; echo "qvl-log-size $size"`;
  if (!follow) return sh`${header}; exec tail -c +${start} -- "$f" 2>&1`;
  // A file now shorter than the offset (or gone, after something was read) is not read at all: the
  // header says so. A file missing from the start is waited for by tail -F.
  return sh`${header}; if [ "$size" -lt ${offset} ] && [ ${offset} -gt 0 ]; then exit 0; fi; tail -c +${start} -F -s ${POLL_SECONDS} -- "$f" 2>&1 </dev/null & cat >/dev/null; kill $! 2>/dev/null`;
}
