import * as vscode from 'vscode';

/** `compose.yaml`, `compose.override.yml`, `docker-compose.prod.yaml` ...: what a compose file is called. */
export const COMPOSE_FILE_NAME = /^(?:docker-)?compose.*\.ya?ml$/;

/** The same names as a glob, for document selectors, watchers and findFiles. */
export const COMPOSE_FILE_GLOB = '**/{compose,docker-compose}*.{yml,yaml}';

/** Language ids a compose file has in VS Code: the Docker extension's, or plain YAML without it. */
export const COMPOSE_LANGUAGES = ['dockercompose', 'yaml'] as const;

export function isComposeUri(uri: vscode.Uri): boolean {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  return (uri.scheme === 'file' || uri.scheme === 'untitled') && COMPOSE_FILE_NAME.test(name);
}

export function isComposeDocument(document: vscode.TextDocument): boolean {
  return isComposeUri(document.uri);
}

/** A URI string in VS Code's canonical spelling, so that server and client URIs compare equal. */
export function canonicalUri(uri: string): string {
  return vscode.Uri.parse(uri).toString();
}

/** A report's file (an absolute path, or a URI for documents that are not on disk) as a URI. */
export function fileUri(file: string): vscode.Uri {
  return /^[a-zA-Z][\w+.-]+:/.test(file) && !/^[a-zA-Z]:[\\/]/.test(file)
    ? vscode.Uri.parse(file)
    : vscode.Uri.file(file);
}
