/**
 * Values a form field, a file name or a profile might hold that a careless command builder would
 * let the shell interpret. Each one, if executed, would create the file named by MARKER.
 */
export function hostileStrings(marker: string): string[] {
  const touch = `touch ${marker}`;
  return [
    `'; ${touch}; '`,
    `"; ${touch}; "`,
    `$(${touch})`,
    `\`${touch}\``,
    `; ${touch}`,
    `&& ${touch}`,
    `|| ${touch}`,
    `| ${touch}`,
    `\n${touch}\n`,
    `\r\n${touch}`,
    `a b  c\ttab`,
    `-rf`,
    `--help`,
    `-o ProxyCommand=${touch}`,
    `$HOME \${PATH} $((1+1))`,
    `*`,
    `~root`,
    `!!`,
    `\\'\\"\\\\`,
    `> ${marker}`,
    `< /etc/passwd`,
    `${'\u00a0'}unicode 中文 ñ 🙂 \u202e`,
    `'`,
    `''`,
    `\\`,
    '',
  ];
}
