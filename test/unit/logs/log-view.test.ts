import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isErrorLine, LineParser } from '../../../scripts/logs/parse-line.ts';
import { splitLines } from '../../../scripts/logs/read-lines.ts';
import { DEFAULT_LOG_LIMITS, logLimitsFor, viewLog, type LogLimits } from '../../../scripts/logs/log-view.ts';
import { validateYaml } from '../../../scripts/archive/validate.ts';
import { parseYamlSource } from '../../../scripts/archive/yaml-source.ts';
import { archiveConfigSchema } from '../../../scripts/schema/archive.ts';
import { renderLogHtml } from '../../../scripts/logs/render-log.ts';
import { retainedMemory } from '../../support/retained-memory.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'log-view-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const E = '\x1b';
async function render(text: string, limits: LogLimits = DEFAULT_LOG_LIMITS) {
  const textFile = path.join(dir, `${Math.random().toString(36).slice(2)}.txt`);
  const view = await viewLog(splitLines([text]), textFile, limits);
  return { view, html: renderLogHtml(view, 'run-7-check', view.truncated ? '7/check.txt' : undefined), textFile };
}

describe('LineParser', () => {
  it("slices GitHub's 28-character timestamp off first, then reads the ##[command]", () => {
    const line = new LineParser().parse('2026-03-27T00:55:23.1234567Z ##[error]Process completed with exit code 1.', 4);
    expect(line).toMatchObject({ number: 4, timestamp: '2026-03-27T00:55:23.1234567Z', kind: 'error', text: 'Process completed with exit code 1.' });
  });

  it('reads a line of sections opened and closed on it (old GitLab runners) as plain text after one close', () => {
    const line = new LineParser().parse(`section_end:9:build\r${E}[0Ksection_start:9:cache\r${E}[0Ksection_end:9:cache\r${E}[0Ksection_start:9:upload\r${E}[0Ksection_end:9:upload\r${E}[0KJob succeeded`, 14);
    expect(line.closes).toEqual([{ name: 'build', time: 9 }]);
    expect(line.opens).toBeUndefined();
    expect(line.text).toBe('Job succeeded');
  });

  it("keeps a bare timestamp as the time of an empty line (downloaded logs whose trailing spaces were stripped)", () => {
    const line = new LineParser().parse('2026-02-06T06:42:35.4107298Z', 152);
    expect(line).toMatchObject({ timestamp: '2026-02-06T06:42:35.4107298Z', kind: 'text', text: '' });
  });

  it("reads @actions/exec's [command] echo, as downloaded logs have it, as a command", () => {
    const line = new LineParser().parse('2026-02-06T06:42:29.1234567Z [command]/usr/bin/git version', 59);
    expect(line).toMatchObject({ kind: 'command', text: '/usr/bin/git version' });
    expect(new LineParser().parse('see [command] in the docs', 1).kind).toBe('text');
  });

  it('reads GitLab section markers with their erase-in-line and carriage-return framing', () => {
    const parser = new LineParser();
    const start = parser.parse(`${E}[0Ksection_start:1700000000:build_script[collapsed=true]\r${E}[0K${E}[36;1mBuilding${E}[0;m`, 1);
    expect(start.opens).toEqual({ name: 'build_script', collapsed: true, time: 1700000000, source: 'gitlab' });
    expect(start.text).toBe('Building');
    const both = parser.parse(`${E}[0Ksection_end:1700000042:build_script\r${E}[0K${E}[0Ksection_start:1700000042:cleanup\r${E}[0KCleaning up`, 2);
    expect(both.closes).toEqual([{ name: 'build_script', time: 1700000042 }]);
    expect(both.opens?.name).toBe('cleanup');
    expect(parser.parse(`${E}[0Ksection_end:1700000050:cleanup\r${E}[0K`, 3).markerOnly).toBe(true);
  });
});

describe('isErrorLine (the documented rule)', () => {
  const parse = (text: string) => new LineParser().parse(text, 1);
  it.each([
    '##[error]Process completed with exit code 101.',
    'ERROR: Job failed: exit code 1',
    'error[E0308]: mismatched types',
    'error: could not compile `gauge` (lib) due to 1 previous error',
    "thread 'main' panicked at src/main.rs:4:5:",
    'Traceback (most recent call last):',
    'FAILED tests/test_export.py::test_csv_header - AssertionError',
    'test result: FAILED. 23 passed; 1 failed',
    '--- FAIL: TestInsertBatch (0.01s)',
    'FAIL\tgithub.com/saltmarsh/tidewatch/ingest/internal/store\t0.412s',
    "src/chart.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.",
  ])('counts %j as an error', (text) => expect(isErrorLine(parse(text))).toBe(true));
  it.each(['test result: ok. 24 passed; 0 failed', '##[warning]Node.js 16 actions are deprecated', 'warning: unused variable', 'Retrying failed download', 'Errors: 0', '  = note: see error: in docs'])(
    'does not count %j',
    (text) => expect(isErrorLine(parse(text))).toBe(false),
  );
});

describe('viewLog and renderLogHtml', () => {
  it('numbers every line with a stable anchor on its number, which links to it, timestamps as a quiet column', async () => {
    const { html } = await render('2026-03-27T00:55:23.1234567Z hello\nsecond\n');
    // Plain lines have no element of their own (they are most of a page's bytes): a break between them.
    expect(html).toBe('<a id=run-7-check-L1 href=#run-7-check-L1>1</a><time>00:55:23</time>hello\n<a id=run-7-check-L2 href=#run-7-check-L2>2</a>second');
  });

  it('puts a line of a kind in a block of its class, with no line break beside a block (it would show as an empty line)', async () => {
    const { html } = await render('one\n##[warning]careful\ntwo\nthree\nerror: boom\n');
    expect(html).toBe(
      '<a id=run-7-check-L1 href=#run-7-check-L1>1</a>one' +
        '<span class="l w"><a id=run-7-check-L2 href=#run-7-check-L2>2</a><span class="k">Warning:</span> careful</span>' +
        '<a id=run-7-check-L3 href=#run-7-check-L3>3</a>two\n<a id=run-7-check-L4 href=#run-7-check-L4>4</a>three' +
        '<span class="l e"><a id=run-7-check-L5 href=#run-7-check-L5>5</a>error: boom</span>',
    );
  });

  it('quotes the anchors of a prefix that is not a slug', async () => {
    const view = await viewLog(splitLines(['x\n']), path.join(dir, 'quoted.txt'));
    expect(renderLogHtml(view, 'run-7-a b&c')).toBe('<a id="run-7-a b&amp;c-L1" href="#run-7-a b&amp;c-L1">1</a>x');
  });

  it('folds GitHub groups into details, closed unless they hold an error, and skips ##[endgroup] lines', async () => {
    const { html } = await render('##[group]Install\nnpm ci\n##[endgroup]\n##[group]Test\nerror: boom\n##[endgroup]\ndone\n');
    expect(html).toMatch(/^<details class="ls"><summary><span class="l"><span class="n" id=run-7-check-L1>.*Install.*<\/summary><a id=run-7-check-L2 /);
    expect(html).toContain('<details class="ls" open><summary><span class="l"><span class="n" id=run-7-check-L4>');
    expect(html).not.toContain('id=run-7-check-L3');
    expect(html.match(/<details/g)).toHaveLength(2);
    expect(html.match(/<\/details>/g)).toHaveLength(2);
  });

  it('puts no link inside a section heading (the summary is already a control): its number is plain text', async () => {
    const { html } = await render(`##[group]See ${E}]8;;https://example.org/${E}\\docs${E}]8;;${E}\\\ninside\n`);
    const summary = /<summary>(.*?)<\/summary>/.exec(html)![1]!;
    expect(summary).not.toContain('<a');
    expect(summary).toContain('<span class="n" id=run-7-check-L1>1</span>');
    expect(html).toContain('<a id=run-7-check-L2 href=#run-7-check-L2>2</a>');
  });

  it('nests sections and closes those left open at the end', async () => {
    const { html, view } = await render('##[group]outer\n##[group]inner\ndeep\n');
    expect(html.match(/<details/g)).toHaveLength(2);
    expect(html.match(/<\/details>/g)).toHaveLength(2);
    expect(view.shown.at(-1)!.stack).toHaveLength(2);
  });

  it('ignores an ##[endgroup] or section_end that closes nothing', async () => {
    const { html } = await render(`##[endgroup]\n${E}[0Ksection_end:1:nothing\r${E}[0K\nplain\n`);
    expect(html).not.toContain('<details');
    expect(html).toContain('plain');
  });

  it('gives a GitLab section its duration and folds it only when marked collapsed', async () => {
    const { html } = await render(`${E}[0Ksection_start:100:a[collapsed=true]\r${E}[0KFetching\nx\n${E}[0Ksection_end:103:a\r${E}[0K\n${E}[0Ksection_start:103:b\r${E}[0KScript\ny\n${E}[0Ksection_end:165:b\r${E}[0K\n`);
    expect(html).toContain('<details class="ls"><summary><span class="l"><span class="n" id=run-7-check-L1>1</span><span class="x">Fetching <span class="du">3s</span></span></span></summary>');
    expect(html).toContain('<details class="ls" open><summary><span class="l"><span class="n" id=run-7-check-L4>');
    expect(html).toContain('<span class="du">1m 2s</span>');
  });

  it('lists error lines with their numbers', async () => {
    const { view } = await render('ok\nerror[E0425]: cannot find value `x`\nok\n##[error]exit code 101\n');
    expect(view.errorCount).toBe(2);
    expect(view.errors).toEqual([
      { number: 2, text: 'error[E0425]: cannot find value `x`' },
      { number: 4, text: 'exit code 101' },
    ]);
  });

  it('escapes everything from the log: no element, attribute or javascript: link gets through', async () => {
    const { html } = await render(`<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n${E}]8;;javascript:alert(3)${E}\\click${E}]8;;${E}\\\n"quoted" & 'single'\n`);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&quot;quoted&quot; &amp; &#39;single&#39;');
  });

  it('shows invalid UTF-8 as replacement characters and drops NUL bytes', async () => {
    const bytes = Buffer.concat([Buffer.from('bad '), Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(' end\n')]);
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const view = await viewLog(splitLines([decoder.decode(bytes)]), path.join(dir, 'utf8.txt'));
    expect(view.shown[0]!.line.text).toBe('bad \uFFFD\uFFFD\uFFFD end');
  });

  it('cuts a log longer than the page limit: first and last lines, errors with context, the count left out, the whole text beside it', async () => {
    const limits: LogLimits = { ...DEFAULT_LOG_LIMITS, pageLines: 100, headLines: 10, tailLines: 20, context: 2 };
    const lines = Array.from({ length: 1000 }, (_, i) => (i + 1 === 500 ? 'error: the middle failed' : `${E}[32mline ${i + 1}${E}[0m`));
    const { view, html, textFile } = await render(`${lines.join('\n')}\n`, limits);
    expect(view.truncated).toBe(true);
    expect(view.totalLines).toBe(1000);
    expect(view.shown.map((entry) => entry.line.number)).toEqual([...range(1, 10), ...range(498, 502), ...range(981, 1000)]);
    expect(html).toContain('487 lines not shown here. <a href="7/check.txt">Read the whole log</a>');
    expect(html).toContain('478 lines not shown here.');
    const whole = await readFile(textFile, 'utf8');
    expect(whole.split('\n')).toHaveLength(1001);
    expect(whole).toContain('line 700\n');
    expect(whole).not.toContain(E);
  });

  it("follows archive.yaml's ci_log_max_lines: 1,000 shows a 1,001-line log's first 100 and last 400 lines", async () => {
    const limits = logLimitsFor(1000);
    const { view, html } = await render(`${range(1, 1001).map((n) => `l${n}`).join('\n')}\n`, limits);
    expect(view.truncated).toBe(true);
    expect(view.shown.map((entry) => entry.line.number)).toEqual([...range(1, 100), ...range(602, 1001)]);
    expect(html).toContain('501 lines not shown here.');
    const whole = await render(`${range(1, 1000).map((n) => `l${n}`).join('\n')}\n`, limits);
    expect(whole.view.truncated).toBe(false);
    expect(whole.view.shown).toHaveLength(1000);
  });

  it('keeps 5,000 lines, 500 first and 2,000 last, without ci_log_max_lines', () => {
    expect(logLimitsFor(undefined)).toMatchObject({ pageLines: 5000, headLines: 500, tailLines: 2000 });
    expect(logLimitsFor(5000)).toEqual(DEFAULT_LOG_LIMITS);
  });

  it('rejects a ci_log_max_lines below 100 or not a whole number, naming the field and line', () => {
    const problems = (value: string) => validateYaml(archiveConfigSchema, parseYamlSource(`repo: a/b\ntitle: T\nci_log_max_lines: ${value}\n`), 'archive.yaml').problems;
    expect(problems('50')).toEqual([{ file: 'archive.yaml', line: 3, field: 'ci_log_max_lines', message: 'must be at least 100, not 50' }]);
    expect(problems('2500.5')[0]).toMatchObject({ line: 3, field: 'ci_log_max_lines' });
    expect(problems('20000')).toEqual([]);
  });

  it('keeps nothing of a long log alive but what the page shows: 200,000 lines in 2,000 groups leave < 8 MB behind', async () => {
    // About 30 MB of text, in chunks as a file stream gives them; each group's heading is kept to the end.
    async function* chunks() {
      for (let group = 0; group < 2000; group++) {
        yield `2026-11-12T08:57:00.0000000Z ##[group]Run step ${group} ${'g'.repeat(60)}\n${Array.from({ length: 99 }, (_, i) => `2026-11-12T08:57:01.0000000Z line ${i} of group ${group} ${'x'.repeat(100)}`).join('\n')}\n`;
      }
    }
    const before = (await retainedMemory()).heapUsed;
    const view = await viewLog(splitLines(chunks()), path.join(dir, 'long.txt'));
    const kept = (await retainedMemory()).heapUsed - before;
    expect(view.totalLines).toBe(200_000);
    expect(view.sections.size).toBe(2000);
    expect(kept).toBeLessThan(8 * 2 ** 20);
  }, 60_000);

  it('shows a log of exactly the page limit whole, without a text file', async () => {
    const limits: LogLimits = { ...DEFAULT_LOG_LIMITS, pageLines: 50, headLines: 5, tailLines: 10 };
    const { view, html } = await render(`${range(1, 50).map((n) => `l${n}`).join('\n')}\n`, limits);
    expect(view.truncated).toBe(false);
    expect(view.shown).toHaveLength(50);
    expect(html).not.toContain('not shown');
  });

  it('keeps the sections around kept lines of a cut log, marked as continued', async () => {
    const limits: LogLimits = { ...DEFAULT_LOG_LIMITS, pageLines: 20, headLines: 3, tailLines: 3, context: 0 };
    const { html } = await render(`##[group]Build\n${range(1, 50).map((n) => `step ${n}`).join('\n')}\n`, limits);
    expect(html).toContain('Build (continued)');
    expect(html.match(/<details/g)!.length).toBe(html.match(/<\/details>/g)!.length);
  });

  it('always produces balanced markup, whatever the markers (property)', async () => {
    const piece = fc.constantFrom('##[group]g', '##[endgroup]', `${E}[0Ksection_start:1:a\r${E}[0Kh`, `${E}[0Ksection_end:2:a\r${E}[0K`, `${E}[0Ksection_start:1:b[collapsed=true]\r${E}[0Kh`, `${E}[0Ksection_end:3:b\r${E}[0K`, 'text', 'error: x', '<b>', '');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 5, max: 40 }), async (lines, pageLines) => {
        const limits: LogLimits = { ...DEFAULT_LOG_LIMITS, pageLines, headLines: 2, tailLines: 3, context: 1 };
        const { html } = await render(lines.join('\n'), limits);
        expect(html.match(/<details/g)?.length ?? 0).toBe(html.match(/<\/details>/g)?.length ?? 0);
        expect(html).not.toContain('<b>');
      }),
      { numRuns: 200 },
    );
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
