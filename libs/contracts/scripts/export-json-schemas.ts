/**
 * Writes the JSON Schema of every event detail to libs/contracts/schemas/<DetailType>.json, formatted with the
 * workspace's Prettier settings. Run: `npx nx run contracts:schemas`. The drift test (src/event-schemas.spec.ts)
 * fails when a file is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { DetailTypes, eventDetailJsonSchema } from '../src/index';

const main = async (): Promise<void> => {
  const outDir = path.join(__dirname, '..', 'schemas');
  mkdirSync(outDir, { recursive: true });
  for (const detailType of Object.values(DetailTypes)) {
    const file = path.join(outDir, `${detailType}.json`);
    const options = (await resolveConfig(file)) ?? {};
    writeFileSync(
      file,
      await format(JSON.stringify(eventDetailJsonSchema(detailType), null, 2), {
        ...options,
        filepath: file,
      }),
    );
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
