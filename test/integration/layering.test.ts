import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function lintErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.severity === 2).map((message) => `${message.ruleId}: ${message.message}`);
}

/** Type-checks one probe file placed in a layer's folder, with that layer's tsconfig. */
function typeErrors(layerDir: string, code: string): string[] {
  const configPath = join(layerDir, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error(`cannot read ${configPath}`);
  const probe = join(layerDir, `layer-probe-${randomBytes(4).toString('hex')}.ts`);
  writeFileSync(probe, code);
  try {
    const program = ts.createProgram([probe], config.options);
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  } finally {
    rmSync(probe, { force: true });
  }
}

describe('layers by runtime', () => {
  it('a service importing electron or electron-store fails the lint, pointing to the adapters', async () => {
    const errors = await lintErrors('electron/main/services/probe.ts', "import { app } from 'electron';\nexport const name = app.getName();\n");
    expect(errors.join('\n')).toMatch(/no-restricted-imports.*adapter/s);
    expect(await lintErrors('electron/web/probe.ts', "import Store from 'electron-store';\nexport const store = new Store();\n")).not.toEqual([]);
    expect(await lintErrors('electron/cli/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).not.toEqual([]);
  });

  it('the renderer importing Node or main-process code fails the lint and the typecheck', async () => {
    expect(await lintErrors('renderer/src/probe.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n")).not.toEqual([]);
    expect(await lintErrors('renderer/src/probe.ts', "import fs from 'fs';\nexport const f = fs;\n")).not.toEqual([]);
    expect(await lintErrors('renderer/src/probe.ts', "import { startWebServer } from '../../electron/web/webServer';\nexport const s = startWebServer;\n")).not.toEqual([]);
    expect(typeErrors('renderer', "export const pid: number = process.pid;\n").join('\n')).toMatch(/process/);
  });

  it('shared/ importing the renderer, Node or the DOM fails the lint and the typecheck', async () => {
    expect(await lintErrors('shared/probe.ts', "import { useAppStore } from '../renderer/src/store/appStore';\nexport const s = useAppStore;\n")).not.toEqual([]);
    expect(await lintErrors('shared/probe.ts', "import { join } from 'node:path';\nexport const j = join;\n")).not.toEqual([]);
    expect(typeErrors('shared', "export const title: string = document.title;\n").join('\n')).toMatch(/document/);
    expect(typeErrors('shared', "export const cwd: string = process.cwd();\n").join('\n')).toMatch(/process/);
  });

  it('only registerIpc.ts may touch ipcMain; the window policy may use electron types only', async () => {
    expect(await lintErrors('electron/main/window/probe.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n")).not.toEqual([]);
    expect(await lintErrors('electron/main/ipc/registerIpc.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n")).toEqual([]);
    expect(await lintErrors('electron/main/security/probe.ts', "import type { WebPreferences } from 'electron';\nexport type W = WebPreferences;\n")).toEqual([]);
    expect(await lintErrors('electron/main/security/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).not.toEqual([]);
  });

  it('the preload may not reach Node or the main process', async () => {
    expect(await lintErrors('electron/preload/probe.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).not.toEqual([]);
    expect(await lintErrors('electron/preload/probe.ts', "import { createAppBackend } from '../main/services/appBackend';\nexport const c = createAppBackend;\n")).not.toEqual([]);
  });

  it('the tree as committed passes (the rules are not vacuous because of the cases above)', async () => {
    const results = await eslint.lintFiles(['shared', 'renderer', 'electron']);
    expect(results.flatMap((result) => result.messages.map((message) => `${result.filePath}: ${message.message}`))).toEqual([]);
  });
});
