import 'reflect-metadata';

import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { printGatewaySchema } from '../graph/schema';

/** `npm run schema`: writes the SDL the code emits to schema/schema.graphql. */
const target = path.join(__dirname, '..', '..', 'schema', 'schema.graphql');
writeFileSync(target, printGatewaySchema());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
