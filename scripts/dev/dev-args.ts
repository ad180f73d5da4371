import { parseCommandLine } from '../build/cli-args.ts';

export interface DevOptions {
  contentDir: string;
  port: number;
  /** Where the server listens: `localhost` unless --host says otherwise. */
  host: string;
  /** The dev server's own work files, apart from `npm run build`'s, so neither build misleads the other. */
  cacheDir: string;
}

export const DEV_USAGE = `Usage: npm run dev -- [--content DIR] [--port N] [--host H] [--cache DIR]

  --content DIR   the archive to preview (default: ./content)
  --port N        the port to serve on (default: 4321)
  --host H        the address to listen on (default: localhost; 0.0.0.0 exposes it to the network)
  --cache DIR     the dev server's work files (default: ./.review-archive/dev)`;

export class DevUsageError extends Error {}

export function parseDevArgs(argv: string[]): DevOptions {
  const { values } = parseCommandLine(
    argv,
    {
      content: { type: 'string', default: 'content' },
      port: { type: 'string', default: '4321' },
      host: { type: 'string', default: 'localhost' },
      cache: { type: 'string', default: '.review-archive/dev' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    { command: 'dev', usage: DEV_USAGE, usageError: (message) => new DevUsageError(message) },
  );
  if (values.help) throw new DevUsageError(DEV_USAGE);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) throw new DevUsageError(`review-archive dev: --port must be a number from 1 to 65535, not "${values.port}"\n\n${DEV_USAGE}`);
  if (!values.host.trim()) throw new DevUsageError(`review-archive dev: --host is empty\n\n${DEV_USAGE}`);
  return { contentDir: values.content, port, host: values.host.trim(), cacheDir: values.cache };
}
