/**
 * Issue 13: `mappings/` and `core/csv/` import no specific connector. Mappings are data the connectors
 * read (connector → mappings), and the CSV code reaches Partner Center through its own port
 * (core/csv/partner-center-gateway.ts), so neither may import connectors/salesforce, connectors/dynamics
 * or connectors/partner-center (generic connector files, such as odata.ts, are allowed). The engine and
 * what it stands on (core/engine, core/model, core/rules, core/store) import nothing under connectors/ at
 * all: both ports the engine drives are defined beside it (core/engine/ports.ts, core/engine/crm-port.ts),
 * and the connectors implement them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const GUARDED = ['mappings', join('core', 'csv')];
const SPECIFIC_CONNECTORS = ['salesforce', 'dynamics', 'partner-center'].map((name) => join(ROOT, 'connectors', name));
/** Folders that may import nothing under connectors/. */
const CONNECTOR_FREE = ['engine', 'model', 'rules', 'store'].map((name) => join('core', name));
const ALL_CONNECTORS = [join(ROOT, 'connectors')];

/** Module specifiers of static imports and re-exports (`from '…'`), side-effect imports and `import('…')`. */
function specifiersOf(source: string): string[] {
  const pattern = /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...source.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** The specifiers in `source` (the file at `file`) that resolve into a specific connector's folder. */
function connectorImports(file: string, source: string, folders = SPECIFIC_CONNECTORS): string[] {
  return specifiersOf(source).filter((spec) => {
    if (!spec.startsWith('.')) return false;
    const target = resolve(dirname(file), spec);
    return folders.some((folder) => target === folder || target.startsWith(folder + sep));
  });
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('import boundaries: mappings/ and core/csv/ import no specific connector (issue 13)', () => {
  it('finds a connector import wherever an import statement can put one', () => {
    const file = join(ROOT, 'mappings', 'example.ts');
    const source = [
      "import { F } from '../connectors/salesforce/custom-fields.js';",
      "export * from '../connectors/dynamics/queries.js';",
      "import type {\n  PartnerCenterClient,\n} from '../connectors/partner-center/index.js';",
      "const lazy = await import('../connectors/partner-center/client.js');",
      "import '../connectors/dynamics/setup.js';",
      "import { odataStringLiteral } from '../connectors/odata.js';",
      "import { z } from 'zod';",
    ].join('\n');
    assert.deepEqual(connectorImports(file, source), [
      '../connectors/salesforce/custom-fields.js',
      '../connectors/dynamics/queries.js',
      '../connectors/partner-center/index.js',
      '../connectors/partner-center/client.js',
      '../connectors/dynamics/setup.js',
    ]);
  });

  for (const folder of GUARDED) {
    it(`no file in ${folder.split(sep).join('/')}/ imports connectors/salesforce, connectors/dynamics or connectors/partner-center`, () => {
      const files = sourceFiles(join(ROOT, folder));
      assert.ok(files.length > 5, `found the folder's files (${files.length})`);
      const found = files.flatMap((file) => connectorImports(file, readFileSync(file, 'utf8')).map((spec) => `${relative(ROOT, file)}: ${spec}`));
      assert.deepEqual(found, []);
    });
  }

  for (const folder of CONNECTOR_FREE) {
    it(`no file in ${folder.split(sep).join('/')}/ imports anything under connectors/`, () => {
      const files = sourceFiles(join(ROOT, folder));
      assert.ok(files.length > 5, `found the folder's files (${files.length})`);
      const found = files.flatMap((file) => connectorImports(file, readFileSync(file, 'utf8'), ALL_CONNECTORS).map((spec) => `${relative(ROOT, file)}: ${spec}`));
      assert.deepEqual(found, []);
    });
  }

  it('tells a generic connector file from the engine\'s own modules', () => {
    const file = join(ROOT, 'core', 'engine', 'example.ts');
    const source = "import { chunks } from '../chunks.js';\nimport type { CrmAdapter } from './crm-port.js';\nimport { odataStringLiteral } from '../../connectors/odata.js';";
    assert.deepEqual(connectorImports(file, source, ALL_CONNECTORS), ['../../connectors/odata.js']);
  });
});
