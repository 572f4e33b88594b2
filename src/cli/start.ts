import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';

/** `parley start`: runs the server until SIGINT / SIGTERM, then stops gracefully. */
export async function startCommand(): Promise<number> {
  const config = loadConfig();
  const app = await createApp(config);
  const url = await app.listen();
  app.logger.info({ url }, 'Parley is listening');
  process.stdout.write(`Parley is running: open ${url} to chat with the demo shop.\n`);
  // SIGHUP publishes the flow directory's current files (kept out when they do not load clean; see the log).
  const reloadFlows = () => void app.flows.reload();
  process.on('SIGHUP', reloadFlows);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      app.logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  process.off('SIGHUP', reloadFlows);
  await app.close();
  return 0;
}
