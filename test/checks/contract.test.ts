import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { SEVERITIES } from '../../src/core/types.js';
import { FAMILIES } from '../../src/checks/registry.js';
import type { RuleFamily } from '../../src/checks/types.js';

// Every rule folder is registered, every rule file is listed by its family, ids are unique and
// equal `<family>/<file>`, and metadata is complete: the checks eslint and Trivy make fatal.
// A family generated from data (`generatedFrom`) is held to the same contract with the data's
// entries in place of files: its folder holds no rule files, and its rules are exactly
// `<family>/<entry id>` for the data's entries, each id a kebab-case name, in the data's order.
const rulesDir = path.resolve('src/checks/rules');
const folders = readdirSync(rulesDir).filter((n) => statSync(path.join(rulesDir, n)).isDirectory());

function ruleFiles(family: string): string[] {
  return readdirSync(path.join(rulesDir, family))
    .filter((n) => n.endsWith('.ts') && n !== 'index.ts' && !n.endsWith('.test.ts'))
    .map((n) => n.slice(0, -3))
    .sort();
}

describe('rule registry contract', () => {
  it('registry keys are sorted and match the rule folders', () => {
    const keys = Object.keys(FAMILIES);
    assert.deepEqual(keys, [...keys].sort());
    assert.deepEqual(
      [...keys].sort(),
      [...folders].sort(),
      'a rule folder is not registered (or vice versa)',
    );
  });

  const seen = new Map<string, string>();
  for (const name of Object.keys(FAMILIES)) {
    describe(`family ${name}`, () => {
      let family: RuleFamily;
      it('loads, is named after its folder and has a readme', async () => {
        family = await FAMILIES[name]!();
        assert.equal(family.name, name);
        assert.ok(statSync(path.join(rulesDir, name, 'README.md')).isFile());
      });

      it('lists exactly its rule files (or its data entries), sorted, ids unique', async () => {
        const ids = family.rules.map((r) => r.meta.id);
        assert.deepEqual(ids, [...ids].sort(), 'rules must be listed sorted by id');
        if (family.generatedFrom) {
          const { module, export: exported } = family.generatedFrom;
          assert.deepEqual(ruleFiles(name), [], 'a generated family has no per-rule files');
          const mod = (await import(pathToFileURL(path.resolve(module)).href)) as Record<string, unknown>;
          const data = mod[exported] as { id: string }[] | undefined;
          assert.ok(Array.isArray(data) && data.length > 0, `${module} exports no ${exported} array`);
          for (const d of data) assert.match(d.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, `${name}: id ${d.id}`);
          assert.deepEqual(
            ids,
            data.map((d) => `${name}/${d.id}`),
            'generated rules and data entries differ',
          );
        } else
          assert.deepEqual(
            ids,
            ruleFiles(name).map((f) => `${name}/${f}`),
            'rule files and listed rules differ',
          );
        for (const id of ids) {
          assert.ok(!seen.has(id), `duplicate rule id ${id}`);
          seen.set(id, name);
        }
      });

      it('has complete metadata and only declared, used message ids', () => {
        for (const rule of family.rules) {
          const m = rule.meta;
          const where = m.id;
          assert.ok(Array.isArray(m.aliases), `${where}: aliases must be an array`);
          assert.equal(new Set(m.aliases).size, m.aliases.length, `${where}: duplicate alias`);
          assert.ok(SEVERITIES.includes(m.severity) && m.severity !== 'UNKNOWN', `${where}: severity`);
          assert.ok(m.title.trim().length > 0, `${where}: title`);
          assert.ok(m.category.trim().length > 0, `${where}: category`);
          assert.ok(m.remediation.trim().length > 10, `${where}: remediation`);
          assert.ok(m.references.length > 0, `${where}: references`);
          for (const r of m.references) assert.match(r, /^https:\/\//, `${where}: reference ${r}`);
          assert.ok(m.appliesTo.includes(family.target), `${where}: appliesTo lacks ${family.target}`);
          const declared = Object.keys(m.messages);
          assert.ok(declared.length > 0, `${where}: no messages`);
          // a generated family's rules are all made by its index.ts
          const file = family.generatedFrom ? 'index' : m.id.slice(name.length + 1);
          const src = readFileSync(path.join(rulesDir, name, `${file}.ts`), 'utf8');
          const used = new Set([...src.matchAll(/messageId:\s*'([^']+)'/g)].map((x) => x[1]!));
          for (const u of used) assert.ok(declared.includes(u), `${where}: message ${u} not declared`);
          for (const d of declared)
            assert.ok(used.has(d), `${where}: message ${d} declared but never reported`);
        }
      });
    });
  }
});
