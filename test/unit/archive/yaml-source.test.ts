import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseYamlFully, parseYamlSource } from '../../../scripts/archive/yaml-source.ts';

/**
 * parseYamlSource reads ordinary files with js-yaml (fast) and everything else with the `yaml`
 * package; a file must mean the same to both, or an archive would change meaning with its size.
 */
describe('the quick YAML reader', () => {
  const scalars = ['0b101', '-0x1A', '0x1A', '0o17', '017', '+12', '-0', '1_000', '.5', '1.', '1e3', '-1.5E-2', '.inf', '-.INF', '.NaN', 'yes', 'no', 'on', 'y', 'True', 'TRUE', 'tRue', 'false', '~', 'null', 'Null', 'NULL', 'nULL', '', '2026-03-27', '2026-03-27T01:02:00Z', '12:30', '1:20:30', '0.1.2', 'v1', '9007199254740993', '"12"', "'true'"];
  it.each(scalars)('reads the plain scalar %j as the yaml package does', (scalar) => {
    const text = `value: ${scalar}\nlist: [${scalar || '""'}]\n`;
    expect(parseYamlSource(text).value).toEqual(parseYamlFully(text).value);
  });

  it('gives the same value as the yaml package for any data it writes (property)', () => {
    const scalar = fc.oneof(fc.string(), fc.stringMatching(/^[-+.0-9a-fA-FxoeEtruTRUnNl~_:]{0,10}$/), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
    const data = fc.letrec((tie) => ({ value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 4 })) })).value;
    fc.assert(
      fc.property(data, fc.constantFrom<'PLAIN' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL'>('PLAIN', 'QUOTE_DOUBLE', 'BLOCK_LITERAL'), (value, defaultStringType) => {
        const text = stringify({ root: value }, { defaultStringType });
        const full = parseYamlFully(text);
        expect(full.errors).toEqual([]);
        expect(parseYamlSource(text).value).toEqual(full.value);
      }),
      { numRuns: 400 },
    );
  });

  it('still says on which line a value sits, for problems', () => {
    const source = parseYamlSource('reviews:\n  - author: ana\n    state: approvd\n', 4);
    expect(source.value).toEqual({ reviews: [{ author: 'ana', state: 'approvd' }] });
    expect(source.lineOf(['reviews', 0, 'state'])).toBe(6);
  });

  it('leaves duplicate keys, tags, aliases of mappings and directives to the yaml package and its messages', () => {
    expect(parseYamlSource('a: 1\na: 2\n').errors[0]?.message).toBe('YAML key "a" appears twice in the same mapping; each key may appear once');
    expect(parseYamlSource('a: !!js/function "x"\n').errors[0]?.message).toMatch(/^YAML tag !!js\/function is not allowed/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    expect(parseYamlSource(bomb).errors[0]?.message).toMatch(/^YAML aliases expand to too much data/);
    expect(parseYamlSource('%YAML 1.1\n---\na: yes\n').value).toEqual(parseYamlFully('%YAML 1.1\n---\na: yes\n').value);
  });
});
