import { createInterface } from 'node:readline';
import type { AuthPrompter } from '../main/services/ssh/sshSession';

/**
 * Reads a line from the terminal; with `hidden`, typed characters are not echoed (passwords).
 * Only used on a TTY: without one the CLI never waits for input.
 */
export function askLine(question: string, hidden: boolean): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let answered = false;
    if (hidden) {
      // readline echoes through _writeToOutput; print the prompt, swallow everything else.
      const output = rl as unknown as { _writeToOutput: (text: string) => void };
      output._writeToOutput = (text: string) => {
        if (text.includes(question)) process.stderr.write(question);
      };
    }
    rl.question(question, (answer) => {
      answered = true;
      if (hidden) process.stderr.write('\n');
      rl.close();
      resolve(answer);
    });
    rl.on('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}

export function terminalPrompter(interactive: boolean): AuthPrompter {
  if (!interactive) {
    return { password: async () => undefined, passphrase: async () => undefined, keyboardInteractive: async () => undefined };
  }
  return {
    password: (hop) => askLine(`${hop.username}@${hop.host}'s password: `, true),
    passphrase: (_hop, keyPath, retry) => askLine(`${retry ? 'Wrong passphrase. ' : ''}Enter passphrase for key '${keyPath}': `, true),
    keyboardInteractive: async (_hop, challenge) => {
      if (challenge.instructions) process.stderr.write(`${challenge.instructions}\n`);
      const answers: string[] = [];
      for (const prompt of challenge.prompts) {
        const answer = await askLine(prompt.prompt, !prompt.echo);
        if (answer === undefined) return undefined;
        answers.push(answer);
      }
      return answers;
    },
  };
}
