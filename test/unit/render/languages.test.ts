import { bundledLanguages } from 'shiki';
import { describe, expect, it } from 'vitest';
import { languageForFence, languageForPath } from '../../../scripts/render/languages.ts';

describe('languageForPath', () => {
  it.each([
    ['src/app.ts', 'ts'],
    ['gauge/src/lib.rs', 'rs'],
    ['tools/predict.py', 'py'],
    ['web/index.mjs', 'javascript'],
    ['Dockerfile', 'dockerfile'],
    ['docker/Dockerfile.dev', 'dockerfile'],
    ['Makefile', 'makefile'],
    ['config/app.yml', 'yml'],
    ['README', 'text'],
    ['data/frames.bin', 'text'],
    ['notes.unknownext', 'text'],
    ['src/Calculator/Resources/ar-SA/Resources.resw', 'xml'],
    ['src/Calculator/Views/MainPage.xaml', 'xml'],
    ['src/CalcManager/CalcManager.vcxproj.filters', 'xml'],
    ['App/Base.lproj/Main.storyboard', 'xml'],
    ['transforms/report.xslt', 'xsl'],
  ])('%s is highlighted as %s', (file, language) => {
    expect(languageForPath(file)).toBe(language);
  });

  it('only ever names a language Shiki has a grammar for', () => {
    for (const file of ['.gitignore', '.dockerignore', '.env', 'justfile', 'Cargo.lock', 'x.lock', 'a.d.ts', 'Gemfile', 'CMakeLists.txt', 'a.csproj', 'b.props', 'c.nuspec', 'd.appxmanifest', 'e.xsd', 'f.wsdl', 'g.xib', 'h.resx']) {
      const language = languageForPath(file);
      expect(language === 'text' || language in bundledLanguages, `${file} → ${language}`).toBe(true);
    }
  });
});

describe('languageForFence', () => {
  it('accepts Shiki names and aliases in any case, and falls back to plain text', () => {
    expect(languageForFence('TypeScript')).toBe('typescript');
    expect(languageForFence('sh')).toBe('sh');
    expect(languageForFence('')).toBe('text');
    expect(languageForFence('no-such-language')).toBe('text');
  });
});
