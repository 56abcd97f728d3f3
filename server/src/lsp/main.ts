/**
 * Process entry of the language server (bundled as dist/server.js). The transport comes
 * from the command line as vscode-languageserver reads it: `--node-ipc` when VS Code
 * starts it, `--stdio` for other editors.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { limitHeapGrowth } from './heap';
import { startServer } from './server';

limitHeapGrowth();
startServer(createConnection(ProposedFeatures.all));
