import { describe, expect, it } from 'vitest';
import { fileSize, mib } from '../../../scripts/bench/figures.ts';

describe('the sizes the bench prints', () => {
  it('shows a page under 1 MiB in KiB, so a small gzipped page never reads as 0.0 MiB', () => {
    expect(fileSize(38_186)).toBe('37 KiB');
    expect(fileSize(1_048_575)).toBe('1024 KiB');
    expect(fileSize(1_048_576)).toBe('1.0 MiB');
    expect(fileSize(667_811 * 3)).toBe('1.9 MiB');
  });

  it('rounds memory to whole MiB and says n/a when nothing was measured', () => {
    expect(mib(1_008_820)).toBe('985 MiB');
    expect(mib(undefined)).toBe('n/a');
  });
});
