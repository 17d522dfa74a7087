import { defineRule } from '../../define-rule.js';
import { MANAGERS, installCommands, packageWords } from '../../dockerfile/packages.js';
import { runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

// Toolchains that are only needed to build: shipping them hands an attacker a compiler.
const TOOLCHAIN =
  /^(build-essential|gcc|g\+\+|clang|llvm|make|cmake|autoconf|automake|libtool|golang|golang-go|go|rustc|cargo|openjdk-\d+-jdk|default-jdk|maven|gradle|musl-dev|libc6?-dev|alpine-sdk|gcc-c\+\+|kernel-devel|devtoolset-\d+)(=.*|-\d.*)?$/;

export default defineRule({
  meta: {
    id: 'dockerfile/build-tools-single-stage',
    aliases: [],
    title: 'Build toolchain shipped in a single-stage image',
    severity: 'MEDIUM',
    category: 'attack-surface',
    references: ['https://docs.docker.com/build/building/multi-stage/'],
    remediation:
      'Build in a first stage (`FROM golang:1.23 AS build`) and COPY only the result into a slim runtime stage (`COPY --from=build /out/app /app`).',
    appliesTo: ['dockerfile'],
    messages: {
      toolchain: 'single-stage build installs {{package}}: the compiler ships with the application',
    },
  },
  check(df: Dockerfile) {
    if (df.stages.length !== 1 || df.stages[0]!.implicit) return [];
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const spec of MANAGERS.filter((m) => ['apt', 'apk', 'yum', 'dnf', 'zypper'].includes(m.name)))
        for (const c of installCommands(commands, spec))
          for (const w of packageWords(spec, c.args))
            if (TOOLCHAIN.test(w.value))
              out.push({
                messageId: 'toolchain' as const,
                data: { package: w.value },
                line: w.line,
                column: w.column,
              });
    return out;
  },
});
