/**
 * A template literal with the indentation common to its non-blank lines removed, and the
 * first and last line dropped when blank, so fixtures can be indented with the test code.
 * Escapes behave as in any template literal; the result ends with one newline, like a file.
 */
export function dedent(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + (i > 0 ? String(values[i - 1]) : '') + s, '');
  const lines = text.split('\n');
  if (lines.length > 0 && (lines[0] ?? '').trim() === '') lines.shift();
  if (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  const indent = (l: string): number => /^[ \t]*/.exec(l)?.[0].length ?? 0;
  const indents = lines.filter((l) => l.trim() !== '').map(indent);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(common, indent(l)))).join('\n') + '\n';
}
