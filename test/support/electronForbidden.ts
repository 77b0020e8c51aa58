throw new Error('A test imported electron. Services and everything tests import must stay Electron-free (see docs/ARCHITECTURE.md).');
