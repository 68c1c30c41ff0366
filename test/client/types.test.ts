/** The client's types catch mistakes at compile time: the lines marked `@ts-expect-error` in types/client-types.check.ts must each fail to compile, and nothing else may. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const FILE = join(__dirname, 'types', 'client-types.check.ts');
const MARK = /^\s*\/\/ @ts-expect-error/;

/** Compiles the check file (its text replaced by `text`) against the client's sources; answers the errors' line numbers (0-based). */
function errorLines(text: string): { line: number; message: string }[] {
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [], skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => (f === FILE ? text : readFile(f));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, v, onError, create) => (f === FILE ? ts.createSourceFile(f, text, v) : getSourceFile(f, v, onError, create));
  const program = ts.createProgram([FILE], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === FILE)
    .map((d) => ({ line: d.file!.getLineAndCharacterOfPosition(d.start!).line, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') }));
}

const source = readFileSync(FILE, 'utf8');
const lines = source.split('\n');
const marked = lines.flatMap((l, i) => (MARK.test(l) ? [i + 1] : []));

test('the file compiles as it is: every marked line is an error, as expected', () => {
  expect(marked.length).toBeGreaterThanOrEqual(8);
  expect(errorLines(source)).toEqual([]);
}, 60_000);

test('without the markers, exactly the marked lines fail', () => {
  const bare = lines.map((l) => (MARK.test(l) ? '' : l)).join('\n');
  const failing = [...new Set(errorLines(bare).map((e) => e.line))].sort((a, b) => a - b);
  expect(failing).toEqual(marked);
}, 60_000);
