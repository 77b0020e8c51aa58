import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listConcreteAliases, loadSshConfig, parseSshConfig, resolveSshHost } from '../../../electron/main/services/ssh/sshConfig';
import type { SshConfigFile, SshConfigHost } from '../../../electron/main/services/ssh/sshConfig';
import { parseTarget } from '../../../shared/ssh/target';

const HOME = '/home/alice';
const OPTIONS = { localUser: 'alice', home: HOME };
const MATCH_PROBLEM = 'Match blocks are not evaluated; their options are ignored.';

function parse(text: string): SshConfigFile {
  return parseSshConfig(text, 'config').config;
}

function resolveIn(text: string, alias: string): SshConfigHost {
  return resolveSshHost(parse(text), alias, OPTIONS);
}

function problemsOf(text: string): string[] {
  return parseSshConfig(text, 'config').problems.map((problem) => `${problem.line}: ${problem.message}`);
}

/** A fresh home directory with the given files under it (paths relative to the home). */
function makeHome(files: Record<string, string>): string {
  const home = mkdtempSync(join(tmpdir(), 'qvl-ssh-config-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(home, path, '..'), { recursive: true });
    writeFileSync(join(home, path), content);
  }
  return home;
}

async function loadFrom(home: string, alias: string) {
  const { config, problems } = await loadSshConfig({ home });
  return { host: resolveSshHost(config, alias, { localUser: 'alice', home }), problems: problems.map((problem) => problem.message), config };
}

describe('parsing lines like readconf.c', () => {
  it('accepts "Key value", "Key=value", "Key = value", any keyword case, tabs and CRLF', () => {
    const host = resolveIn('Host a\r\n\tHOSTNAME=real.example\r\n  port = 2200\r\n\tuSeR\tbob\r\n', 'a');
    expect(host).toMatchObject({ hostName: 'real.example', port: 2200, user: 'bob' });
  });

  it('unquotes "…" and \'…\', honours backslash escapes and stops at a # that starts an argument', () => {
    const config = 'Host a\n  IdentityFile "~/keys/my key"\n  User \'bob\' # the admin\n  HostName h#1\nHost b\n  IdentityFile ~/with\\ space\n';
    expect(resolveIn(config, 'a')).toMatchObject({ identityFiles: [`${HOME}/keys/my key`], user: 'bob', hostName: 'h#1' });
    expect(resolveIn(config, 'b').identityFiles).toEqual([`${HOME}/with space`]);
    expect(problemsOf(config)).toEqual([]);
  });

  it('ignores comments, blank lines and unknown keywords without complaint', () => {
    const config = '# comment\n\n   \n  # indented\nHost a\n  ForwardAgent yes\n  NoSuchOption 1\n  SendEnv LANG LC_*\n  Port 2\n';
    expect(problemsOf(config)).toEqual([]);
    expect(resolveIn(config, 'a').port).toBe(2);
  });

  it('reports and ignores bad lines, naming the line', () => {
    const config = [
      'Host a',
      '  Port 0',
      '  Port 65536',
      '  Port ssh',
      '  Port 2222',
      '  User "unterminated',
      '  User',
      '  IdentityFile a b',
      '  HostName ""',
      '  ProxyJump -oProxyCommand=evil',
      '  ProxyJump ',
    ].join('\n');
    expect(problemsOf(config)).toEqual([
      '2: The port "0" is not a whole number from 1 to 65535; the line is ignored.',
      '3: The port "65536" is not a whole number from 1 to 65535; the line is ignored.',
      '4: The port "ssh" is not a whole number from 1 to 65535; the line is ignored.',
      '6: The line has an unterminated quote.',
      '7: User needs a value.',
      '8: IdentityFile takes one value; the line has more and is ignored.',
      '9: HostName has an empty argument.',
      `10: ProxyJump "-oProxyCommand=evil" cannot be used: The host name must not start with '-'.`,
      '11: ProxyJump needs a value.',
    ]);
    expect(resolveIn(config, 'a')).toMatchObject({ port: 2222, user: null, identityFiles: [], hostName: 'a' });
  });

  it('keeps a bad ProxyJump as written, so using it fails instead of connecting directly', () => {
    const config = 'Host a\n  ProxyJump ok,-oProxyCommand=evil,b@c:99999\nHost *\n  ProxyJump fallback\n';
    expect(problemsOf(config)).toEqual([
      `2: ProxyJump "ok,-oProxyCommand=evil,b@c:99999" cannot be used: The host name must not start with '-'. The port "99999" is not a whole number from 1 to 65535.`,
    ]);
    const hops = resolveIn(config, 'a').proxyJump;
    expect(hops).toEqual(['ok', '-oProxyCommand=evil', 'b@c:99999']);
    expect(hops.map((hop) => parseTarget(hop).ok)).toEqual([true, false, false]);
  });

  it('keeps a broken Host line as a block that matches nothing, so its options do not leak', () => {
    const config = 'Host a\n  User alice2\nHost "b\n  Port 2022\n';
    expect(problemsOf(config)).toEqual(['3: The line has an unterminated quote.']);
    expect(resolveIn(config, 'a').port).toBe(22);
  });

  it('stops a line at a NUL like ssh does, and says so', () => {
    const config = 'Host a\n  Port 2200\0junk\nHost b\0\n  User x\n';
    expect(problemsOf(config)).toEqual(['2: The line contains a NUL character; like ssh, everything after it is ignored.', '3: The line contains a NUL character; like ssh, everything after it is ignored.']);
    expect(resolveIn(config, 'a')).toMatchObject({ port: 2200, user: null });
    expect(resolveIn(config, 'b').user).toBe('x');
  });

  it('survives very long lines and binary garbage', () => {
    const started = Date.now();
    const aliases = Array.from({ length: 20_000 }, (_, index) => `h${index}`).join(' ');
    const blanks = ' \t'.repeat(200_000);
    const config = `Host ${aliases}\n  Port 2201\n${'#'.repeat(1_000_000)}\nUser ${'x'.repeat(1_000_000)}\nHost${blanks}x${blanks}y\n  ProxyJump a${blanks}b\n`;
    expect(resolveIn(config, 'h19999').port).toBe(2201);
    expect(listConcreteAliases(parse(config))).toHaveLength(20_002);
    // Kept as written (a hop with blanks is invalid); compared as a boolean to keep failure diffs small.
    expect(resolveIn(config, 'y').proxyJump.join() === `a${blanks}b`).toBe(true);
    let seed = 7;
    const garbage = Array.from({ length: 50_000 }, () => String.fromCharCode((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256)).join('');
    expect(() => resolveSshHost(parse(garbage), 'a', OPTIONS)).not.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('resolveSshHost', () => {
  it('takes the first obtained value, so specific blocks go first and Host * last', () => {
    const config = 'Host dev\n  HostName dev.example\n  Port 2200\nHost dev\n  Port 2300\n  User second\nHost *\n  User default\n  Port 22\n';
    expect(resolveIn(config, 'dev')).toEqual({
      alias: 'dev',
      hostName: 'dev.example',
      port: 2200,
      user: 'second',
      identityFiles: [],
      proxyJump: [],
      proxyCommand: null,
      hostKeyAlias: null,
    });
    expect(resolveIn(config, 'other')).toMatchObject({ hostName: 'other', port: 22, user: 'default' });
  });

  it('matches Host patterns with * and ?, several patterns, and negation that vetoes the block', () => {
    const config = 'Host web-? db*.internal !db-secret.internal\n  User ops\nHost *\n  User fallback\n';
    expect(resolveIn(config, 'web-1').user).toBe('ops');
    expect(resolveIn(config, 'web-10').user).toBe('fallback');
    expect(resolveIn(config, 'db1.internal').user).toBe('ops');
    expect(resolveIn(config, 'db-secret.internal').user).toBe('fallback');
    expect(resolveIn('Host !a\n  User x\n', 'b').user).toBeNull();
  });

  it('matches the alias as typed, case-sensitively (ssh -G agrees), but lower-cases HostName', () => {
    const config = 'Host MyServer\n  HostName Dev.Example.COM\n';
    expect(resolveIn(config, 'MyServer').hostName).toBe('dev.example.com');
    expect(resolveIn(config, 'myserver').hostName).toBe('myserver');
    expect(resolveIn('Host x\n  HostName FE80::A\n', 'x').hostName).toBe('FE80::A');
  });

  it('expands %h and %% in HostName', () => {
    expect(resolveIn('Host *\n  HostName %h.Corp.Example\n', 'gpu1').hostName).toBe('gpu1.corp.example');
    expect(resolveIn('Host *\n  HostName 100%%-%h\n', 'x').hostName).toBe('100%-x');
  });

  it('accumulates IdentityFile from every matching block, once each, with ~ and tokens expanded', () => {
    const config = [
      'Host dev',
      '  HostName Dev.Example',
      '  User root',
      '  Port 2222',
      '  IdentityFile ~/.ssh/id_%h_%p_%r',
      '  IdentityFile %d/keys/%u-%n-%k-%%',
      'Host *',
      '  IdentityFile ~/.ssh/id_%h_%p_%r',
      '  IdentityFile ~alice/shared',
      '  IdentityFile ~bob/theirs',
      '  IdentityFile none',
      '  IdentityFile /abs/%C-%x',
      '  IdentityFile ~',
    ].join('\n');
    expect(resolveIn(config, 'dev').identityFiles).toEqual([
      `${HOME}/.ssh/id_dev.example_2222_root`,
      `${HOME}/keys/alice-dev-dev-%`,
      `${HOME}/shared`,
      '~bob/theirs',
      '/abs/%C-%x',
      HOME,
    ]);
    expect(resolveIn(config, 'other').identityFiles[0]).toBe(`${HOME}/.ssh/id_other_22_alice`);
  });

  it('uses HostKeyAlias for %k and reports it', () => {
    const host = resolveIn('Host a\n  HostKeyAlias Shared-Key\n  IdentityFile /k/%k\n', 'a');
    expect(host).toMatchObject({ hostKeyAlias: 'Shared-Key', identityFiles: ['/k/Shared-Key'] });
  });

  it('reads ProxyJump as a comma list in visiting order, without the trailing comment', () => {
    const host = resolveIn('Host t\n  ProxyJump bastion,user@h2:2222,[fe80::1]:22 # two hops\n', 't');
    expect(host.proxyJump).toEqual(['bastion', 'user@h2:2222', '[fe80::1]:22']);
    expect(resolveIn('Host t\n  ProxyJump=ssh://jumper@bastion:2200,ssh://second/\n', 't').proxyJump).toEqual(['jumper@bastion:2200', 'second']);
  });

  it('lets ProxyJump none disable a later ProxyJump', () => {
    const config = 'Host direct\n  ProxyJump none\nHost *\n  ProxyJump bastion\n';
    expect(resolveIn(config, 'direct').proxyJump).toEqual([]);
    expect(resolveIn(config, 'other').proxyJump).toEqual(['bastion']);
    expect(resolveIn('Host *\n  ProxyJump NONE\n', 'x')).toMatchObject({ proxyJump: [], proxyCommand: null });
  });

  it('settles ProxyJump against ProxyCommand like ssh: whichever comes first wins, and ProxyCommand none blocks both', () => {
    expect(resolveIn('Host a\n  ProxyJump j1\n  ProxyCommand nc %h %p\n', 'a')).toMatchObject({ proxyJump: ['j1'], proxyCommand: null });
    expect(resolveIn('Host a\n  ProxyCommand ssh -W %h:%p gw\n  ProxyJump j1\n', 'a')).toMatchObject({ proxyJump: [], proxyCommand: 'ssh -W %h:%p gw' });
    expect(resolveIn('Host a\n  ProxyCommand none\nHost *\n  ProxyJump j1\n', 'a')).toMatchObject({ proxyJump: [], proxyCommand: null });
  });

  it('treats Match blocks as never matching and says so once per block', () => {
    const config = 'Host a\n  Port 2201\nMatch host a\n  User matched\n  Port 2202\nMatch all\n  User all\nHost a\n  User after\n';
    expect(resolveIn(config, 'a')).toMatchObject({ port: 2201, user: 'after' });
    expect(problemsOf(config)).toEqual([`3: ${MATCH_PROBLEM}`, `6: ${MATCH_PROBLEM}`]);
    expect(problemsOf('Match "unterminated\n  User x\n')).toEqual([`1: ${MATCH_PROBLEM}`]);
  });

  it('never runs Match exec', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'qvl-pwned-')), 'pwned');
    const pwnedBefore = existsSync('/tmp/pwned');
    const home = makeHome({ '.ssh/config': `Match exec "touch ${marker}"\n  User pwned\nMatch exec "touch /tmp/pwned"\nHost *\n  ProxyCommand touch ${marker}\n` });
    const { host, problems } = await loadFrom(home, 'anything');
    expect(host.user).toBeNull();
    expect(host.proxyCommand).toBe(`touch ${marker}`);
    expect(problems).toEqual([MATCH_PROBLEM, MATCH_PROBLEM]);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync('/tmp/pwned')).toBe(pwnedBefore);
  });
});

describe('listConcreteAliases', () => {
  it('lists Host names without wildcards or negation, in file order, once each', () => {
    const config = 'Host dev prod-1 *.corp !bad\nHost gpu? db\nHost prod-1\nMatch host x\nHost Dev\n';
    expect(listConcreteAliases(parse(config))).toEqual(['dev', 'prod-1', 'db', 'Dev']);
  });
});

describe('loadSshConfig and Include', () => {
  it('reads ~/.ssh/config by default and gives an empty config when it is missing', async () => {
    const empty = await loadSshConfig({ home: makeHome({}) });
    expect(empty.config.items).toEqual([]);
    expect(empty.problems).toEqual([]);
    const home = makeHome({ '.ssh/config': 'Host a\n  Port 2\n' });
    expect((await loadFrom(home, 'a')).host.port).toBe(2);
    expect((await loadSshConfig({ path: join(home, '.ssh', 'nope') })).config.items).toEqual([]);
  });

  it('expands relative paths from ~/.ssh, ~ paths and absolute paths, with * and ? globs in lexical order', async () => {
    const home = makeHome({
      '.ssh/config': 'Include conf.d/*.conf\nInclude ~/other/x?.conf\nInclude ABSOLUTE\nHost *\n  IdentityFile /k/last\n',
      '.ssh/conf.d/20-b.conf': 'Host *\n  IdentityFile /k/b\n',
      '.ssh/conf.d/10-a.conf': 'Host *\n  IdentityFile /k/a\n  Port 2010\n',
      '.ssh/conf.d/.hidden.conf': 'Host *\n  IdentityFile /k/hidden\n',
      '.ssh/conf.d/notes.txt': 'Host *\n  IdentityFile /k/txt\n',
      'other/x1.conf': 'Host *\n  IdentityFile /k/x1\n',
      'other/x10.conf': 'Host *\n  IdentityFile /k/x10\n',
      'abs/z.conf': 'Host *\n  IdentityFile /k/abs\n',
    });
    mkdirSync(join(home, '.ssh', 'conf.d', '30-dir.conf'));
    writeFileSync(join(home, '.ssh', 'config'), `Include conf.d/*.conf\nInclude ~/other/x?.conf\nInclude ${join(home, 'abs', '*')} missing.conf /nowhere/*/x\nHost *\n  IdentityFile /k/last\n`);
    const { host, problems } = await loadFrom(home, 'a');
    expect(host.identityFiles).toEqual(['/k/a', '/k/b', '/k/x1', '/k/abs', '/k/last']);
    expect(host.port).toBe(2010);
    expect(problems).toEqual([]);
  });

  it('shares and then restores the Host state around an Include, and never matches inside an inactive one', async () => {
    const home = makeHome({
      '.ssh/config': 'Host dev\n  Include extra.conf\n  IdentityFile /k/after-include\nHost *\n  Port 2999\n',
      '.ssh/extra.conf': 'IdentityFile /k/before-host\nHost other\n  Port 9999\n  User other\n',
    });
    const dev = (await loadFrom(home, 'dev')).host;
    expect(dev.identityFiles).toEqual(['/k/before-host', '/k/after-include']);
    expect(dev.port).toBe(2999);
    // ssh -G agrees: "Host other" inside the include of an inactive "Host dev" block never matches.
    expect((await loadFrom(home, 'other')).host).toMatchObject({ port: 2999, user: null, identityFiles: [] });
  });

  it('never applies an Include inside a Match block', async () => {
    const home = makeHome({ '.ssh/config': 'Match all\n  Include extra.conf\nHost *\n  Port 2\n', '.ssh/extra.conf': 'User leaked\nHost *\n  User leaked2\n' });
    const { host, problems } = await loadFrom(home, 'x');
    expect(host).toMatchObject({ user: null, port: 2 });
    expect(problems).toEqual([MATCH_PROBLEM]);
  });

  it('lists aliases from included files', async () => {
    const home = makeHome({ '.ssh/config': 'Host a\nInclude inc\nHost c\n', '.ssh/inc': 'Host b b2*\n' });
    expect(listConcreteAliases((await loadSshConfig({ home })).config)).toEqual(['a', 'b', 'c']);
  });

  it('stops an Include loop at once and reports it', async () => {
    const home = makeHome({ '.ssh/config': 'Include config\nInclude a\nHost x\n  Port 2\n', '.ssh/a': 'Include b\n', '.ssh/b': 'Include a\nHost *\n  User looped\n' });
    const { host, problems } = await loadFrom(home, 'x');
    expect(host).toMatchObject({ port: 2, user: 'looped' });
    expect(problems).toEqual([
      `Include loop: ${join(home, '.ssh', 'config')} is already being read; it is not included again.`,
      `Include loop: ${join(home, '.ssh', 'a')} is already being read; it is not included again.`,
    ]);
  });

  it('follows at most 16 nested levels', async () => {
    const files: Record<string, string> = { '.ssh/config': 'Include l1\n' };
    for (let level = 1; level <= 20; level += 1) files[`.ssh/l${level}`] = `Include l${level + 1}\nIdentityFile /k/${level}\n`;
    const home = makeHome(files);
    const { host, problems } = await loadFrom(home, 'x');
    expect(host.identityFiles).toEqual(Array.from({ length: 16 }, (_, index) => `/k/${16 - index}`));
    expect(problems).toEqual([`Includes are nested more than 16 deep; ${join(home, '.ssh', 'l17')} is ignored.`]);
  });

  it('caps include fan-out that the depth limit alone would let explode', async () => {
    const files: Record<string, string> = { '.ssh/config': 'Include f1-*\n' };
    for (let level = 1; level <= 12; level += 1) {
      for (const side of ['a', 'b']) files[`.ssh/f${level}-${side}`] = `Include f${level + 1}-*\n`;
    }
    const started = Date.now();
    const { problems } = await loadFrom(makeHome(files), 'x');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((message) => /^More than 512 files are included; .* is ignored\.$/.test(message))).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses what it cannot read safely: devices, FIFOs, tokens, other users’ homes', async () => {
    const home = makeHome({ '.ssh/config': 'Include /dev/zero /dev/null ~bob/config %d/x ${HOME}/y\nHost *\n  Port 2\n' });
    const { host, problems } = await loadFrom(home, 'x');
    expect(host.port).toBe(2);
    expect(problems).toEqual([
      '/dev/zero is not a regular file; it is ignored.',
      '/dev/null is not a regular file; it is ignored.',
      `Include "~bob/config" names another user's home directory; it is ignored.`,
      'Include "%d/x" uses %-tokens or ${…} variables, which are not expanded; it is ignored.',
      'Include "${HOME}/y" uses %-tokens or ${…} variables, which are not expanded; it is ignored.',
    ]);
  });

  it.skipIf(process.platform === 'win32')('follows a symlinked config and include directory', async () => {
    const home = makeHome({ 'dotfiles/ssh_config': 'Include conf.d/*\n', 'dotfiles/conf.d/a': 'Host *\n  User linked\n' });
    mkdirSync(join(home, '.ssh'));
    symlinkSync(join(home, 'dotfiles', 'ssh_config'), join(home, '.ssh', 'config'));
    symlinkSync(join(home, 'dotfiles', 'conf.d'), join(home, '.ssh', 'conf.d'));
    expect((await loadFrom(home, 'x')).host.user).toBe('linked');
  });
});

const hasSsh = (() => {
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasSsh || process.platform === 'win32')('agreement with ssh -G', () => {
  it('resolves the same HostName, Port, User, IdentityFile and ProxyJump as the installed OpenSSH', async () => {
    const home = makeHome({
      '.ssh/config': [
        'Host MyServer',
        '  HostName Dev.Example.COM',
        'Host dev dev-* !dev-x',
        '  HostName %h.Internal.Example',
        '  Port=2200',
        '  User "alice" # comment',
        '  IdentityFile /keys/dev',
        '  IdentityFile "/keys/with space"',
        '  IdentityFile /keys/dev',
        '  Include conf.d/*.conf',
        '  IdentityFile /keys/after-include',
        'Host jump1',
        '  ProxyCommand none',
        '  ProxyJump bastion',
        'Host jump2',
        '  ProxyJump bastion,user@h2:2222 # two hops',
        '  ProxyCommand nc %h %p',
        'Host jump3',
        '  ProxyJump none',
        'Host *',
        '  ProxyJump fallback',
        '  User bob',
        '  IdentityFile /keys/default',
        '  Port 22',
      ].join('\n'),
      '.ssh/conf.d/10-a.conf': 'IdentityFile /keys/from-include\nHost other\n  Port 9999\n',
      '.ssh/conf.d/20-b.conf': 'IdentityFile /keys/from-b\n',
    });
    const { config, problems } = await loadSshConfig({ home });
    expect(problems).toEqual([]);
    const localUser = userInfo().username;
    for (const alias of ['MyServer', 'myserver', 'dev', 'dev-1', 'dev-x', 'jump1', 'jump2', 'jump3', 'other']) {
      const output = execFileSync('ssh', ['-G', '-F', join(home, '.ssh', 'config'), alias], { encoding: 'utf8', env: { ...process.env, HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
      const values = (key: string) => output.split('\n').filter((line) => line.startsWith(`${key} `)).map((line) => line.slice(key.length + 1));
      const ours = resolveSshHost(config, alias, { localUser, home });
      expect({ hostName: ours.hostName, port: ours.port, user: ours.user ?? localUser, identityFiles: ours.identityFiles, proxyJump: ours.proxyJump.join(',') }, alias).toEqual({
        hostName: values('hostname')[0],
        port: Number(values('port')[0]),
        user: values('user')[0],
        identityFiles: values('identityfile'),
        proxyJump: values('proxyjump')[0] ?? '',
      });
    }
  });
});
