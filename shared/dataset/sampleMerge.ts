/**
 * An edited sample as it comes back from the screen (a wire sample: no origins) merged onto the
 * sample it replaces: the origins go back where the content still matches, so saving copies
 * untouched turns as they were, splices only the members that changed, and keeps fields of the
 * file it does not know. The workspace merges every edit this way, and the screen's JSON preview
 * does the same to show the bytes saving will write.
 */

import type { JsonValue } from './jsonSource';
import type { EditableSample, PixelHint, Turn } from './sampleModel';
import type { WireSample, WireTurn } from './workspaceApi';

function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function withHints(turn: Turn, wire: WireTurn): Turn {
  const pixelHints: readonly PixelHint[] | undefined = wire.pixelHints?.length ? wire.pixelHints : undefined;
  return pixelHints ? { ...turn, pixelHints } : turn;
}

/**
 * The turns of `wire` with origins from the file's turns: with the same number of turns each one
 * keeps the origin at its place (an edited turn is then spliced member by member); when turns were
 * added or removed, a turn keeps an origin only where role and text are identical, taken in order.
 */
function mergeTurns(wire: readonly WireTurn[], originTurns: readonly Turn[]): readonly Turn[] {
  if (wire.length === originTurns.length) {
    const turns = wire.map((turn, k) => {
      const origin = originTurns[k];
      if (origin && origin.from === turn.from && origin.value === turn.value) return withHints(origin, turn);
      return { from: turn.from, value: turn.value, ...(turn.pixelHints?.length && { pixelHints: turn.pixelHints }), ...(origin?.origin && { origin: origin.origin }) };
    });
    // The file's own array when nothing differs: identity is the save's fastest path.
    return turns.every((turn, k) => turn === originTurns[k]) ? originTurns : turns;
  }
  let next = 0;
  return wire.map((turn) => {
    for (let k = next; k < originTurns.length; k++) {
      const origin = originTurns[k];
      if (origin && origin.from === turn.from && origin.value === turn.value) {
        next = k + 1;
        return withHints(origin, turn);
      }
    }
    return { from: turn.from, value: turn.value, ...(turn.pixelHints?.length && { pixelHints: turn.pixelHints }) };
  });
}

/** The sample an edit describes, merged onto the origin of the sample it replaces (if any). */
export function mergeWireSample(wire: WireSample, replaced: EditableSample | undefined): EditableSample {
  const origin = replaced?.origin;
  const wireId = wire.id as JsonValue | undefined;
  if (!origin) return { id: wireId, turns: mergeTurns(wire.turns, []), reviewed: wire.reviewed };
  return {
    id: jsonEqual(wireId, origin.id) ? origin.id : wireId,
    turns: mergeTurns(wire.turns, origin.turns),
    reviewed: wire.reviewed,
    origin,
  };
}
