/**
 * Writes the JSON Schema of every event detail to libs/contracts/schemas/<DetailType>.json.
 * Run: `npx nx run contracts:schemas`. The drift test (src/event-schemas.spec.ts) fails when a file is stale.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DetailTypes, eventDetailJsonSchema } from '../src/index';

const outDir = path.join(__dirname, '..', 'schemas');
mkdirSync(outDir, { recursive: true });
for (const detailType of Object.values(DetailTypes)) {
  const file = path.join(outDir, `${detailType}.json`);
  writeFileSync(file, `${JSON.stringify(eventDetailJsonSchema(detailType), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
