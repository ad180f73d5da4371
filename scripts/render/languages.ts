import path from 'node:path';
import { bundledLanguages } from 'shiki';
import { PLAIN } from './tokenizer.ts';

/** Which Shiki grammar colours a file or a fenced code block. */

const FILE_NAMES: Record<string, string> = {
  dockerfile: 'dockerfile',
  makefile: 'makefile',
  gnumakefile: 'makefile',
  justfile: 'just',
  'cmakelists.txt': 'cmake',
  gemfile: 'ruby',
  rakefile: 'ruby',
  'cargo.lock': 'toml',
  'flake.lock': 'json',
  '.gitignore': 'ignore',
  '.dockerignore': 'ignore',
  '.bashrc': 'bash',
  '.zshrc': 'zsh',
  '.env': 'dotenv',
};

const EXTENSIONS: Record<string, string> = {
  mjs: 'javascript',
  cjs: 'javascript',
  mts: 'typescript',
  cts: 'typescript',
  h: 'c',
  hpp: 'cpp',
  cc: 'cpp',
  kts: 'kotlin',
  gradle: 'groovy',
  patch: 'diff',
  lock: 'text',
  txt: 'text',
  svg: 'xml',
  plist: 'xml',
  // XML under other names: .NET and MSBuild (resources, XAML, project files), Apple's Interface
  // Builder, schemas. Real histories showed them as plain text (microsoft/calculator: 1,935 .resw
  // diffs, 427 .xaml, 229 .vcxproj).
  resx: 'xml',
  resw: 'xml',
  xaml: 'xml',
  csproj: 'xml',
  vbproj: 'xml',
  fsproj: 'xml',
  vcxproj: 'xml',
  filters: 'xml',
  props: 'xml',
  targets: 'xml',
  nuspec: 'xml',
  appxmanifest: 'xml',
  storyboard: 'xml',
  xib: 'xml',
  xsd: 'xml',
  wsdl: 'xml',
  xslt: 'xsl',
  conf: 'ini',
  cfg: 'ini',
  'd.ts': 'typescript',
};

/** The Shiki language for a file path, from its name or extension; `text` when Shiki has no grammar for it. */
export function languageForPath(filePath: string): string {
  const base = path.posix.basename(filePath).toLowerCase();
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  const candidate = FILE_NAMES[base] ?? (base.startsWith('dockerfile') ? 'dockerfile' : ext ? (EXTENSIONS[ext] ?? ext) : PLAIN);
  return candidate in bundledLanguages ? candidate : PLAIN;
}

/** Resolves a fenced code block's info string (`ts`, `TypeScript`, `shell`) to a language Shiki knows. */
export function languageForFence(info: string | undefined): string {
  const name = (info ?? '').trim().toLowerCase();
  return name && name in bundledLanguages ? name : PLAIN;
}
