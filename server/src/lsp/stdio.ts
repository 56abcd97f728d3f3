/**
 * The language server on this process's stdin and stdout, for `compose-reachability lsp`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { limitHeapGrowth } from './heap';
import { startServer, type ServerOptions } from './server';

/** Starts the server on stdin/stdout; the process exits when the client says `exit` or goes away. */
export function startStdioServer(options: ServerOptions = {}): void {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // stdout carries the protocol: a stray console.log anywhere would corrupt it.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = (...args: unknown[]) => connection.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  limitHeapGrowth();
  startServer(connection, options);
}
