import assert from 'node:assert/strict';
import { it } from 'node:test';
import { family, parseDockerfileInput, rules } from '../../src/checks/rules/dockerfile/index.js';
import { ruleTester, testedRuleIds } from '../../src/checks/testing.js';
import type { Rule } from '../../src/checks/types.js';
import type { Dockerfile } from '../../src/checks/dockerfile/types.js';

const t = ruleTester(parseDockerfileInput, 'Dockerfile');
const rule = (name: string) => rules.find((r) => r.meta.id === `dockerfile/${name}`)! as Rule<Dockerfile>;

t.run(rule('root-user'), {
  valid: [
    'FROM alpine:3.20\nUSER 10001\n',
    'FROM scratch\nCOPY app /app\n',
    'FROM a:1 AS b\nUSER root\nFROM c:1\nUSER app\n',
    'FROM a:1 AS b\nARG U=root\nFROM b\nUSER ${U}\n',
    'ARG U=root\nFROM a:1\nUSER ${U}\n',
    'FROM a:1 AS base\nUSER 10001\nFROM base\nRUN true\n',
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nRUN true\n', errors: [{ messageId: 'noUser', line: 1, column: 1 }] },
    {
      code: 'FROM alpine:3.20\nUSER app\nRUN x\n  USER root:root\n',
      errors: [{ messageId: 'lastUserRoot', line: 4, column: 8 }],
    },
    { code: 'FROM alpine:3.20\nUSER 0\n', errors: [{ messageId: 'lastUserRoot', line: 2, column: 6 }] },
    {
      name: 'ARG default expands to root',
      code: 'FROM alpine:3.20\nARG APP_USER=root\nUSER ${APP_USER}:${APP_GROUP:-root}\n',
      errors: [{ messageId: 'lastUserRoot', line: 3, column: 6, data: { user: 'root:root' } }],
    },
    {
      name: 'root inherited from the parent stage',
      code: 'FROM a:1 AS base\nUSER root\nFROM base\nRUN true\n',
      errors: [{ messageId: 'lastUserRoot', line: 2, column: 6 }],
    },
    {
      name: 'ENV inherited from the parent stage',
      code: 'FROM alpine:3.20 AS base\nENV RUNAS=0\nARG NOTCARRIED=1000\nFROM base\nUSER ${RUNAS}\n',
      errors: [{ messageId: 'lastUserRoot', line: 5, column: 6, data: { user: '0' } }],
    },
  ],
});

t.run(rule('latest-tag'), {
  valid: [
    'FROM alpine:3.20\n',
    'FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n',
    'FROM golang:1.23 AS build\nFROM build\n',
    'FROM scratch\n',
    'ARG BASE\nFROM ${BASE}\n',
    'FROM localhost:5000/app:1.0\n',
  ],
  invalid: [
    { code: 'FROM alpine\n', errors: [{ messageId: 'untagged', line: 1, column: 6 }] },
    {
      code: 'FROM --platform=linux/amd64 ubuntu:latest AS x\n',
      errors: [{ messageId: 'latest', line: 1, column: 29 }],
    },
    {
      code: 'ARG TAG=latest\nFROM debian:${TAG}\n',
      errors: [{ messageId: 'latest', line: 2, column: 6, data: { image: 'debian:latest' } }],
    },
    { code: 'FROM localhost:5000/app\n', errors: [{ messageId: 'untagged', line: 1, column: 6 }] },
  ],
});

t.run(rule('base-image-digest'), {
  valid: [
    'FROM alpine:3.20@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n',
    'FROM scratch\n',
  ],
  invalid: [{ code: 'FROM alpine:3.20\n', errors: [{ messageId: 'noDigest', line: 1, column: 6 }] }],
});

t.run(rule('trusted-registry'), {
  valid: [
    'FROM alpine:3.20\n',
    { code: 'FROM ghcr.io/acme/app:1\n', settings: { trustedRegistries: ['ghcr.io'] } },
    { code: 'FROM a.corp.example/app:1\n', settings: { trustedRegistries: ['*.corp.example'] } },
    { code: 'FROM alpine:3\nFROM quay.io/x/y:1\n', settings: { trustedRegistries: ['*'] } },
    {
      code: 'FROM ghcr.io/a/b:1 AS b\nCOPY --from=b /x /x\nRUN --mount=from=b,target=/y true\n',
      settings: { trustedRegistries: ['ghcr.io'] },
    },
  ],
  invalid: [
    {
      code: 'FROM ghcr.io/acme/app:1\nFROM alpine:3\n',
      settings: { trustedRegistries: ['ghcr.io'] },
      errors: [
        { messageId: 'untrusted', line: 2, column: 6, data: { image: 'alpine:3', registry: 'docker.io' } },
      ],
    },
    {
      name: 'images pulled by COPY --from and RUN --mount from=',
      code: 'FROM ghcr.io/a/b:1\nCOPY --from=quay.io/x/y:1 /x /x\nRUN --mount=type=bind,from=busybox,target=/b true\n',
      settings: { trustedRegistries: ['ghcr.io'] },
      errors: [
        {
          messageId: 'untrustedCopy',
          line: 2,
          column: 6,
          data: { image: 'quay.io/x/y:1', registry: 'quay.io' },
        },
        { messageId: 'untrustedCopy', line: 3, column: 5, data: { image: 'busybox', registry: 'docker.io' } },
      ],
    },
  ],
});

t.run(rule('package-pin'), {
  valid: [
    'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10\n',
    'FROM alpine:3\nRUN apk add --no-cache --virtual .deps curl=8.5.0-r0\n',
    'FROM python:3\nRUN pip install --no-cache-dir -r requirements.txt flask==3.0.3\n',
    'FROM node:20\nRUN npm ci && npm install -g pnpm@9.1.0 @scope/x@1.0.0\n',
    'FROM ruby:3\nRUN gem install rails -v 7.1.0\n',
    'FROM fedora:40\nRUN dnf install -y curl-8.6.0 ./local.rpm\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl wget=1.21\n',
      errors: [{ messageId: 'unpinned', line: 3, column: 24, data: { manager: 'apt', package: 'curl' } }],
    },
    {
      code: 'FROM alpine:3\nRUN apk add --virtual .deps gcc\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 29 }],
    },
    {
      code: 'FROM python:3\nRUN python3 -m pip install requests\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 28 }],
    },
    {
      code: 'FROM node:20\nRUN npm i -g @scope/x\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 14 }],
    },
    {
      code: 'FROM centos:7\nRUN yum install -y httpd\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 20 }],
    },
    {
      code: 'FROM suse:15\nRUN zypper -n in nginx\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 18 }],
    },
    {
      code: 'FROM ruby:3\nRUN gem install rails\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 17 }],
    },
    {
      code: 'FROM golang:1.23\nRUN go install golang.org/x/tools/cmd/goimports@latest\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 16 }],
    },
    {
      code: 'FROM node:20\nRUN yarn global add pm2 && npm i -g x@1\n',
      errors: [{ messageId: 'unpinned', line: 2, column: 21 }],
    },
    {
      name: 'heredoc',
      code: 'FROM debian:12\nRUN <<EOF\nset -e\napt-get install -y jq\nEOF\n',
      errors: [{ messageId: 'unpinned', line: 4, column: 20 }],
    },
  ],
});

t.run(rule('package-cache-cleanup'), {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\n',
    'FROM alpine:3\nRUN apk add --no-cache x=1\n',
    'FROM centos:7\nRUN yum install -y x-1 && yum clean all\n',
    'FROM python:3\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x==1\n',
    'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get install -y x\n',
    'FROM debian:12 AS build\nRUN apt-get install -y x\nFROM alpine:3\nCOPY --from=build /x /x\n',
    {
      name: 'inherited PIP_NO_CACHE_DIR',
      code: 'FROM python:3 AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install x==1\n',
    },
    'FROM fedora:40\nRUN --mount=type=tmpfs,target=/var/cache/libdnf5 dnf -y install x\n',
  ],
  invalid: [
    {
      name: 'the lists come from update',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y x && apt-get clean\n',
      errors: [
        {
          messageId: 'noCleanup',
          line: 2,
          column: 5,
          data: { manager: 'apt', fix: 'rm -rf /var/lib/apt/lists/*' },
        },
      ],
    },
    {
      code: 'FROM alpine:3\nRUN apk update && apk add x\n',
      errors: [{ messageId: 'noCleanup', line: 2, column: 19 }],
    },
    {
      code: 'FROM python:3\nRUN pip3 install x==1\n',
      errors: [{ messageId: 'noCleanup', line: 2, column: 5 }],
    },
    {
      code: 'FROM fedora:40\nRUN dnf -y install x\n',
      errors: [{ messageId: 'noCleanup', line: 2, column: 5 }],
    },
    {
      name: 'a clean before the install cleans nothing',
      code: 'FROM fedora:40\nRUN dnf clean all && dnf -y install x\n',
      errors: [{ messageId: 'noCleanup', line: 2, column: 22 }],
    },
    {
      name: 'PIP_NO_CACHE_DIR=0 keeps the cache',
      code: 'FROM python:3\nENV PIP_NO_CACHE_DIR=0\nRUN pip install x==1\n',
      errors: [{ messageId: 'noCleanup', line: 3, column: 5 }],
    },
    {
      name: 'an ONBUILD trigger in a build stage runs in downstream images',
      code: 'FROM debian:12 AS a\nONBUILD RUN apt-get update\nFROM scratch\n',
      errors: [{ messageId: 'noCleanup', line: 2, column: 13 }],
    },
  ],
});

t.run(rule('package-non-interactive'), {
  valid: [
    'FROM debian:12\nRUN apt-get -qq install x\n',
    'FROM debian:12\nRUN apt-get install --yes x\n',
    'FROM centos:7\nRUN yum -y install x\n',
    'FROM suse:15\nRUN zypper --non-interactive install x\n',
    { name: 'apt quiet level 2 implies yes', code: 'FROM debian:12\nRUN apt-get -q -q install x\n' },
  ],
  invalid: [
    {
      name: 'microdnf prompts too',
      code: 'FROM ubi:9\nRUN microdnf install x\n',
      errors: [{ messageId: 'prompt', line: 2, column: 5 }],
    },
    {
      code: 'FROM debian:12\nRUN apt-get install x\n',
      errors: [{ messageId: 'prompt', line: 2, column: 5 }],
    },
    {
      code: 'FROM fedora:40\nRUN true && dnf install x\n',
      errors: [{ messageId: 'prompt', line: 2, column: 13 }],
    },
  ],
});

t.run(rule('package-upgrade'), {
  valid: ['FROM debian:12\nRUN apt-get update\n', 'FROM centos:7\nRUN yum update -y openssl\n'],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade\n',
      errors: [{ messageId: 'upgrade', line: 2, column: 34 }],
    },
    {
      code: 'FROM alpine:3\nRUN apk upgrade --no-cache\n',
      errors: [{ messageId: 'upgrade', line: 2, column: 9 }],
    },
    { code: 'FROM centos:7\nRUN yum -y update\n', errors: [{ messageId: 'upgrade', line: 2, column: 12 }] },
  ],
});

t.run(rule('apt-no-install-recommends'), {
  valid: [
    'FROM debian:12\nRUN apt-get install -y --no-install-recommends x\n',
    'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install x\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y x\n',
      errors: [{ messageId: 'recommends', line: 2, column: 36 }],
    },
  ],
});

t.run(rule('apt-update-alone'), {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y x\n',
    'FROM alpine:3\nRUN apk update && apk add x\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y x\n',
      errors: [{ messageId: 'alone', line: 2, column: 13 }],
    },
  ],
});

t.run(rule('apt-cli'), {
  valid: ['FROM debian:12\nRUN apt-get install -y x\n', 'FROM debian:12\nRUN echo apt\n'],
  invalid: [
    { code: 'FROM debian:12\nRUN apt install -y x\n', errors: [{ messageId: 'apt', line: 2, column: 5 }] },
  ],
});

t.run(rule('add-remote-url'), {
  valid: ['FROM a:1\nADD --checksum=sha256:abc https://example.com/x.tgz /x\n', 'FROM a:1\nCOPY x /x\n'],
  invalid: [
    {
      code: 'FROM a:1\nADD https://example.com/x.tgz /x\n',
      errors: [{ messageId: 'remote', line: 2, column: 5 }],
    },
  ],
});

t.run(rule('add-instead-of-copy'), {
  valid: ['FROM a:1\nCOPY x /x\n', 'FROM a:1\nADD https://example.com/x /x\n'],
  invalid: [
    {
      code: 'FROM a:1\nADD --chown=1:1 app.tar.gz conf /opt/\n',
      errors: [
        { messageId: 'archive', line: 2, column: 17 },
        { messageId: 'file', line: 2, column: 28 },
      ],
    },
    { code: 'FROM a:1\nADD ["my file", "/x/"]\n', errors: [{ messageId: 'file', line: 2, column: 6 }] },
    {
      name: 'ADD unpacks by content: a .xz may be a tarball',
      code: 'FROM a:1\nADD data.xz /x/\n',
      errors: [{ messageId: 'archive', line: 2, column: 5 }],
    },
  ],
});

t.run(rule('build-tools-single-stage'), {
  valid: [
    'FROM golang:1.23 AS build\nRUN apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /app /app\n',
    'FROM debian:12\nRUN apt-get install -y curl\n',
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get install -y build-essential=12.9 curl\n',
      errors: [{ messageId: 'toolchain', line: 2, column: 24 }],
    },
  ],
});

t.run(rule('chmod-world-writable'), {
  valid: ['FROM a:1\nRUN chmod 755 /app && chmod u+w x\n', 'FROM a:1\nCOPY --chmod=644 a /a\n'],
  invalid: [
    {
      code: 'FROM a:1\nRUN chmod -R 777 /app\n',
      errors: [{ messageId: 'worldWritable', line: 2, column: 14 }],
    },
    {
      code: 'FROM a:1\nRUN chmod o+w /tmp/x\n',
      errors: [{ messageId: 'worldWritable', line: 2, column: 11 }],
    },
    {
      code: 'FROM a:1\nCOPY --chmod=0666 a /a\n',
      errors: [{ messageId: 'worldWritable', line: 2, column: 6 }],
    },
  ],
});

t.run(rule('copy-from-own-stage'), {
  valid: ['FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /x\n'],
  invalid: [
    {
      code: 'FROM a:1 AS Build\nCOPY --from=build /x /x\n',
      errors: [{ messageId: 'own', line: 2, column: 6 }],
    },
  ],
});

t.run(rule('copy-from-unknown-stage'), {
  valid: [
    'FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /x\n',
    'FROM b:1\nCOPY --from=nginx:1.27 /x /x\n',
    'FROM a:1\nFROM b:1\nCOPY --from=0 /x /x\n',
  ],
  invalid: [
    {
      code: 'FROM b:1\nCOPY --from=builder /x /x\nFROM c:1 AS builder\n',
      errors: [{ messageId: 'unknown', line: 2, column: 6 }],
    },
  ],
});

t.run(rule('curl-pipe-shell'), {
  valid: [
    'FROM a:1\nRUN curl -fsSLo i.sh https://x/i.sh && sha256sum -c s && sh i.sh\n',
    'FROM a:1\nRUN curl -s https://x | tar xz\n',
  ],
  invalid: [
    {
      code: 'FROM a:1\nRUN curl -fsSL https://x/install.sh | sudo -E bash -\n',
      errors: [{ messageId: 'pipe', line: 2, column: 5 }],
    },
    {
      code: 'FROM a:1\nRUN set -e; \\\n  wget -qO- https://x | sh\n',
      errors: [{ messageId: 'pipe', line: 3, column: 3, data: { fetch: 'wget', shell: 'sh' } }],
    },
  ],
});

t.run(rule('duplicate-stage-name'), {
  valid: ['FROM a:1 AS x\nFROM b:1 AS y\n'],
  invalid: [
    { code: 'FROM a:1 AS x\nFROM b:1 as X\n', errors: [{ messageId: 'duplicate', line: 2, column: 13 }] },
  ],
});

t.run(rule('expose-ssh'), {
  valid: ['FROM a:1\nEXPOSE 80 443/tcp 2222 ${UNKNOWN}\n'],
  invalid: [
    { code: 'FROM a:1\nEXPOSE 80 22/tcp\n', errors: [{ messageId: 'ssh', line: 2, column: 11 }] },
    { code: 'FROM a:1\nEXPOSE 20-25\n', errors: [{ messageId: 'ssh', line: 2, column: 8 }] },
    {
      code: 'FROM a:1\nARG SSH_PORT=22\nEXPOSE ${SSH_PORT}/tcp\n',
      errors: [{ messageId: 'ssh', line: 3, column: 8, data: { port: '22/tcp' } }],
    },
  ],
});

t.run(rule('expose-port-range'), {
  valid: ['FROM a:1\nEXPOSE 80 8000-8080/udp ${PORT}\n'],
  invalid: [{ code: 'FROM a:1\nEXPOSE 80 70000\n', errors: [{ messageId: 'range', line: 2, column: 11 }] }],
});

t.run(rule('insecure-run-flags'), {
  valid: ['FROM a:1\nRUN --mount=type=cache,target=/c make\n'],
  invalid: [
    {
      code: 'FROM a:1\nRUN --security=insecure --network=host make\n',
      errors: [
        { messageId: 'insecure', line: 2, column: 5 },
        { messageId: 'hostNetwork', line: 2, column: 25 },
      ],
    },
  ],
});

t.run(rule('json-cmd'), {
  valid: [
    'FROM a:1\nCMD ["app", "-v"]\nENTRYPOINT ["tini", "--"]\n',
    'FROM a:1\nHEALTHCHECK --interval=5s CMD ["/app", "health"]\nHEALTHCHECK NONE\n',
  ],
  invalid: [
    { code: 'FROM a:1\nCMD app -v\n', errors: [{ messageId: 'shellForm', line: 2, column: 1 }] },
    {
      code: 'FROM a:1\nHEALTHCHECK --interval=5s CMD curl -f localhost\n',
      errors: [{ messageId: 'healthcheckShellForm', line: 2, column: 1 }],
    },
  ],
});

t.run(rule('maintainer'), {
  valid: ['FROM a:1\nLABEL org.opencontainers.image.authors="me"\n'],
  invalid: [
    { code: 'FROM a:1\nMAINTAINER me <me@x>\n', errors: [{ messageId: 'deprecated', line: 2, column: 1 }] },
  ],
});

t.run(rule('missing-healthcheck'), {
  valid: [
    'FROM a:1\nHEALTHCHECK CMD ["/app", "ping"]\n',
    'FROM a:1 AS base\nHEALTHCHECK CMD ["x"]\nFROM base\n',
  ],
  invalid: [
    {
      name: 'scratch images are not exempt (hadolint DL3057 agrees)',
      code: 'FROM scratch\nCOPY x /x\n',
      errors: [{ messageId: 'missing', line: 1, column: 1 }],
    },
    { code: 'FROM a:1 AS b\nFROM c:1\nCMD ["x"]\n', errors: [{ messageId: 'missing', line: 2, column: 1 }] },
    {
      name: 'a build stage health check does not reach the final image',
      code: 'FROM a:1 AS build\nHEALTHCHECK CMD ["x"]\nFROM c:1\n',
      errors: [{ messageId: 'missing', line: 3, column: 1 }],
    },
    {
      code: 'FROM a:1 AS base\nHEALTHCHECK CMD ["x"]\nFROM base\nHEALTHCHECK NONE\n',
      errors: [{ messageId: 'disabled', line: 4, column: 1 }],
    },
  ],
});

t.run(rule('missing-pipefail'), {
  valid: [
    'FROM a:1\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl x | tar x\n',
    'FROM a:1\nRUN set -o pipefail && curl x | tar x\n',
    'FROM a:1\nRUN a && b\n',
    'FROM a:1\nSHELL ["pwsh", "-c"]\nRUN Get-Item x | Select-Object Name\n',
  ],
  invalid: [
    { code: 'FROM a:1\nRUN curl x | tar x\n', errors: [{ messageId: 'pipefail', line: 2, column: 1 }] },
    {
      name: 'sh (dash, busybox) has no pipefail',
      code: 'FROM a:1\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN curl x | tar x\n',
      errors: [{ messageId: 'pipefail', line: 3, column: 1 }],
    },
  ],
});

t.run(rule('duplicate-instruction'), {
  valid: ['FROM a:1\nCMD ["a"]\nFROM b:1\nCMD ["b"]\n'],
  invalid: [
    {
      code: 'FROM a:1\nENTRYPOINT ["a"]\nCMD ["a"]\nCMD ["b"]\n',
      errors: [{ messageId: 'repeated', line: 4, column: 1, data: { keyword: 'CMD', first: 3 } }],
    },
  ],
});

t.run(rule('relative-workdir'), {
  valid: [
    'FROM a:1\nWORKDIR /app\nWORKDIR $HOME\nWORKDIR C:\\\\app\n',
    'FROM a:1\nCOPY x c:\\\\app\\\\x\n',
    'FROM a:1 AS b\nWORKDIR /app\nFROM b\nCOPY x .\n',
    'FROM a:1\nCOPY x /x\n',
  ],
  invalid: [
    { code: 'FROM a:1\nWORKDIR app\n', errors: [{ messageId: 'relative', line: 2, column: 9 }] },
    {
      code: 'FROM a:1\nENV APP=srv/app\nWORKDIR $APP\nENV HOME=/root\nWORKDIR ${HOME}/x\n',
      errors: [{ messageId: 'relative', line: 3, column: 9, data: { path: 'srv/app' } }],
    },
    {
      code: 'FROM a:1\nCOPY a b ./\nWORKDIR /app\nCOPY c .\nFROM a:1 AS x\nCOPY ["d", "e/"]\n',
      errors: [
        { messageId: 'relativeCopy', line: 2, column: 10 },
        { messageId: 'relativeCopy', line: 6, column: 12 },
      ],
    },
  ],
});

t.run(rule('run-cd'), {
  valid: ['FROM a:1\nWORKDIR /src\nRUN make\n', 'FROM a:1\nRUN <<EOF\ncd /src\nmake\nEOF\n'],
  invalid: [{ code: 'FROM a:1\nRUN cd /src && make\n', errors: [{ messageId: 'cd', line: 2, column: 5 }] }],
});

t.run(rule('sudo'), {
  valid: ['FROM a:1\nRUN echo sudo\n'],
  invalid: [
    {
      code: 'FROM a:1\nRUN apt-get update && sudo apt-get install x\n',
      errors: [{ messageId: 'sudo', line: 2, column: 23 }],
    },
  ],
});

t.run(rule('secrets-in-env'), {
  valid: [
    'FROM a:1\nENV PASSWORD_FILE=/run/secrets/db APP_PASSWORD=\nENV DB_PASSWORD=$DB_PASSWORD\n',
    'FROM a:1\nENV PWD=/app GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n',
  ],
  invalid: [
    {
      code: 'FROM a:1\nARG NPM_TOKEN\nENV DB_PASSWORD=hunter2 X=AKIAABCDEFGHIJKLMNOP\nENV API_KEY legacy form\n',
      errors: [
        { messageId: 'name', line: 2, column: 5 },
        { messageId: 'name', line: 3, column: 5 },
        { messageId: 'value', line: 3, column: 25 },
        { messageId: 'name', line: 4, column: 5 },
      ],
    },
  ],
});

t.run(rule('tls-verification-disabled'), {
  valid: [
    'FROM a:1\nRUN curl -fsSL https://x -o f && wget -q https://y\n',
    'FROM a:1\nRUN apt-get install -y --no-install-recommends x=1\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n',
    'FROM a:1\nRUN git config --global http.sslVerify true\n',
  ],
  invalid: [
    {
      code: 'FROM a:1\nRUN curl -fsSLk https://x | tar x && wget --no-check-certificate https://y\n',
      errors: [
        { messageId: 'insecureFlag', line: 2, column: 10, data: { program: 'curl', flag: '-fsSLk' } },
        { messageId: 'insecureFlag', line: 2, column: 43 },
      ],
    },
    {
      code: 'FROM a:1\nRUN apk add --allow-untrusted x.apk && git config --global http.sslVerify false\n',
      errors: [
        { messageId: 'unverifiedPackages', line: 2, column: 13 },
        { messageId: 'insecureFlag', line: 2, column: 60 },
      ],
    },
    {
      code: 'FROM a:1\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nRUN pip install --trusted-host pypi.example x==1 && npm config set strict-ssl false\n',
      errors: [
        { messageId: 'envVar', line: 2, column: 5 },
        { messageId: 'insecureFlag', line: 3, column: 17 },
        { messageId: 'insecureFlag', line: 3, column: 68 },
      ],
    },
  ],
});

t.run(rule('setuid-bit'), {
  valid: [
    'FROM a:1\nRUN chmod 0755 /x && chmod 1777 /tmp && chmod u+x /y\n',
    'FROM a:1\nCOPY --chmod=755 a /a\n',
  ],
  invalid: [
    {
      code: 'FROM a:1\nRUN chmod 4755 /usr/bin/x && chmod -R g+s /srv\nCOPY --chmod=2755 a /a\n',
      errors: [
        { messageId: 'setuid', line: 2, column: 11 },
        { messageId: 'setuid', line: 2, column: 39 },
        { messageId: 'setuid', line: 3, column: 6 },
      ],
    },
  ],
});

t.run(rule('copy-secret-file'), {
  valid: ['FROM a:1\nCOPY .env.example package.json /app/\nCOPY src/ /app/src/\n'],
  invalid: [
    {
      code: 'FROM a:1\nCOPY .npmrc id_rsa /root/\nADD --chown=1 .aws/ /root/.aws/\nCOPY certs/server.key /etc/ssl/\n',
      errors: [
        { messageId: 'secretFile', line: 2, column: 6 },
        { messageId: 'secretFile', line: 2, column: 13 },
        { messageId: 'secretFile', line: 3, column: 15 },
        { messageId: 'secretFile', line: 4, column: 6 },
      ],
    },
  ],
});

t.run(rule('ssh-server-installed'), {
  valid: ['FROM debian:12\nRUN apt-get install -y openssh-client=1\n'],
  invalid: [
    {
      code: 'FROM debian:12\nRUN apt-get install -y openssh-server\n',
      errors: [{ messageId: 'sshd', line: 2, column: 24 }],
    },
    {
      code: 'FROM alpine:3\nRUN apk add --no-cache openssh=9.6_p1-r0\n',
      errors: [{ messageId: 'sshd', line: 2, column: 24 }],
    },
  ],
});

t.run(rule('inline-ignore-pragma'), {
  valid: [
    'FROM a:1\n# bulwark:ignore=DL3008 reason: pinned by the base image\nRUN true\n',
    'FROM a:1\n# hadolint shell=bash\n',
  ],
  invalid: [
    {
      code: 'FROM a:1\n  # hadolint ignore=DL3003\nRUN cd /x\n',
      errors: [{ messageId: 'pragma', line: 2, column: 3, data: { comment: '# hadolint ignore=DL3003' } }],
    },
  ],
});

t.run(rule('container-unfriendly-command'), {
  valid: ['FROM a:1\nRUN apt-get install -y procps=2\n', 'FROM a:1\nRUN echo service\n'],
  invalid: [
    {
      code: 'FROM a:1\nRUN service nginx start && sudo /usr/bin/top -b\n',
      errors: [
        { messageId: 'pointless', line: 2, column: 5, data: { program: 'service' } },
        { messageId: 'pointless', line: 2, column: 33, data: { program: 'top' } },
      ],
    },
  ],
});

t.run(rule('copy-multi-source-dest'), {
  valid: ['FROM a:1\nCOPY a b /app/\n', 'FROM a:1\nCOPY a /app\n', 'FROM a:1\nCOPY ["a", "b", "/app/"]\n'],
  invalid: [
    {
      code: 'FROM a:1\nCOPY --chown=1 a b /app\n',
      errors: [{ messageId: 'noSlash', line: 2, column: 20, data: { count: 2, dest: '/app' } }],
    },
  ],
});

t.run(rule('from-platform'), {
  valid: ['FROM a:1\n', 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n'],
  invalid: [
    {
      code: 'FROM --platform=linux/amd64 a:1\nFROM --platform=${TARGETPLATFORM} b:1\n',
      errors: [
        { messageId: 'fixed', line: 1, column: 6, data: { platform: 'linux/amd64' } },
        { messageId: 'redundant', line: 2, column: 6 },
      ],
    },
  ],
});

t.run(rule('onbuild-trigger-invalid'), {
  valid: ['FROM a:1\nONBUILD RUN make\nONBUILD COPY . /src\n'],
  invalid: [
    {
      code: 'FROM a:1\nONBUILD ONBUILD RUN x\nONBUILD FROM b\nONBUILD MAINTAINER me\n',
      errors: [
        { messageId: 'forbidden', line: 2, column: 9, data: { keyword: 'ONBUILD' } },
        { messageId: 'forbidden', line: 3, column: 9, data: { keyword: 'FROM' } },
        { messageId: 'forbidden', line: 4, column: 9, data: { keyword: 'MAINTAINER' } },
      ],
    },
  ],
});

t.run(rule('env-self-reference'), {
  valid: [
    'FROM a:1\nENV A=1\nENV B=$A\n',
    'FROM a:1\nENV PATH=/x:$PATH\n',
    'FROM a:1\nARG V\nENV V=${V} W=$V\n',
    'FROM a:1 AS base\nENV A=1\nFROM base\nENV A=2 B=${A}\n',
    'FROM a:1\nENV A=1 B=$AB\n',
  ],
  invalid: [
    {
      code: 'FROM a:1\nENV A=1 \\\n    B="${A}/x"\n',
      errors: [{ messageId: 'sameStatement', line: 3, column: 5, data: { name: 'A' } }],
    },
  ],
});

t.run(rule('useradd-high-uid'), {
  valid: [
    'FROM a:1\nRUN useradd -l -u 1000000 app\n',
    'FROM a:1\nRUN useradd --no-log-init --uid=1000000 app\n',
    'FROM a:1\nRUN useradd -u 10001 app\n',
  ],
  invalid: [
    {
      code: 'FROM a:1\nRUN groupadd g && useradd -r -u 1000000 app\n',
      errors: [{ messageId: 'noLogInit', line: 2, column: 19, data: { uid: '1000000' } }],
    },
  ],
});

t.run(rule('wget-progress'), {
  valid: [
    'FROM a:1\nRUN wget --progress=dot:giga https://x/y\n',
    'FROM a:1\nRUN wget -qO- https://x/y\n',
    'FROM a:1\nRUN wget -nv https://x/y\n',
  ],
  invalid: [
    {
      code: 'FROM a:1\nRUN wget -O /x https://x/y\n',
      errors: [{ messageId: 'progress', line: 2, column: 5 }],
    },
  ],
});

t.run(rule('label-key-invalid'), {
  valid: ['FROM a:1\nLABEL org.opencontainers.image.source="https://x" maintainer=me\n'],
  invalid: [
    {
      code: 'FROM a:1\nLABEL com.docker.x=1 Version=2 a..b=3\n',
      errors: [
        {
          messageId: 'invalid',
          line: 2,
          column: 7,
          data: { key: 'com.docker.x', problem: 'uses a namespace Docker reserves' },
        },
        { messageId: 'invalid', line: 2, column: 22 },
        { messageId: 'invalid', line: 2, column: 32, data: { key: 'a..b', problem: 'repeats a separator' } },
      ],
    },
  ],
});

const schema = {
  labelSchema: { 'org.opencontainers.image.source': 'Url', version: 'SemVer', maintainer: 'Email' },
};

t.run(rule('label-missing'), {
  valid: [
    'FROM a:1\n',
    {
      code: 'FROM a:1 AS base\nLABEL version=1.0.0\nFROM base\n',
      settings: { labelSchema: { version: 'SemVer' } },
    },
    {
      name: 'a stage only copied from is no image of its own',
      code: 'FROM a:1 AS build\nFROM b:1\nLABEL version=1.0.0\nCOPY --from=build /x /x\n',
      settings: { labelSchema: { version: 'SemVer' } },
    },
  ],
  invalid: [
    {
      code: 'FROM a:1 AS build\nFROM b:1\nLABEL version=1.0.0\n',
      settings: { labelSchema: { version: 'SemVer' } },
      errors: [{ messageId: 'missing', line: 1, column: 1, data: { stage: 'build', label: 'version' } }],
    },
  ],
});

t.run(rule('label-superfluous'), {
  valid: [
    'FROM a:1\nLABEL x=1\n',
    { code: 'FROM a:1\nLABEL version=1.0.0\n', settings: { ...schema, strictLabels: true } },
  ],
  invalid: [
    {
      code: 'FROM a:1\nLABEL version=1.0.0 team=x\n',
      settings: { ...schema, strictLabels: true },
      errors: [{ messageId: 'superfluous', line: 2, column: 21, data: { label: 'team' } }],
    },
  ],
});

t.run(rule('label-invalid'), {
  valid: [
    'FROM a:1\nLABEL version=x\n',
    {
      code: 'FROM a:1\nLABEL org.opencontainers.image.source="https://github.com/x/y" version=1.2.3 maintainer=a@b.example\n',
      settings: schema,
    },
    { code: 'FROM a:1\nARG V\nLABEL version=$V\n', settings: schema },
  ],
  invalid: [
    {
      code: 'FROM a:1\nLABEL version=v1 maintainer="" org.opencontainers.image.source=github\n',
      settings: schema,
      errors: [
        { messageId: 'notSemver', line: 2, column: 7, data: { label: 'version', value: 'v1' } },
        { messageId: 'empty', line: 2, column: 18 },
        { messageId: 'notUrl', line: 2, column: 32 },
      ],
    },
    {
      code: 'FROM a:1\nLABEL l=GPL-2 d=2024-13-01T00:00:00Z h=abc n=x@\n',
      settings: { labelSchema: { l: 'Spdx', d: 'Rfc3339', h: 'GitHash', n: 'Email' } },
      errors: [
        { messageId: 'notSpdx', line: 2, column: 7 },
        { messageId: 'notRfc3339', line: 2, column: 15 },
        { messageId: 'notGitHash', line: 2, column: 38 },
        { messageId: 'notEmail', line: 2, column: 44 },
      ],
    },
  ],
});

t.run(rule('consecutive-run'), {
  valid: [
    'FROM a:1\nRUN a && b\nRUN c\n',
    'FROM a:1\nRUN a\nWORKDIR /x\nRUN b\n',
    'FROM a:1\nRUN --mount=type=secret,id=a a\nRUN b\n',
  ],
  invalid: [
    {
      code: 'FROM a:1\nRUN a\n# why\nRUN b\nRUN c\n',
      errors: [
        { messageId: 'consolidate', line: 4, column: 1 },
        { messageId: 'consolidate', line: 5, column: 1 },
      ],
    },
  ],
});

t.run(rule('instruction-before-from'), {
  valid: ['# syntax=docker/dockerfile:1\nARG V=1\nFROM a:$V\nLABEL x=1\n'],
  invalid: [
    {
      code: 'ARG V=1\nLABEL x=1\nFROM a:1\n',
      errors: [{ messageId: 'beforeFrom', line: 2, column: 1, data: { keyword: 'LABEL' } }],
    },
  ],
});

t.run(rule('reserved-stage-name'), {
  valid: ['FROM scratch AS base\n'],
  invalid: [
    {
      code: 'FROM a:1 AS Context\n',
      errors: [{ messageId: 'reserved', line: 1, column: 13, data: { name: 'context' } }],
    },
  ],
});

t.run(rule('user-non-numeric'), {
  valid: [
    'FROM a:1\nUSER 10001:10001\n',
    'FROM a:1\nARG UID\nUSER ${UID}\n',
    {
      name: 'Windows has no UIDs',
      code: 'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\n',
    },
  ],
  invalid: [
    {
      code: 'FROM a:1\nUSER app:app\n',
      errors: [{ messageId: 'name', line: 2, column: 6, data: { user: 'app:app' } }],
    },
  ],
});

t.run(rule('copy-entire-filesystem'), {
  valid: ['FROM a:1 AS b\nFROM c:1\nCOPY --from=b /app /app\n', 'FROM a:1\nCOPY . /\n'],
  invalid: [
    {
      code: 'FROM a:1 AS b\nFROM c:1\nCOPY --from=b / /\n',
      errors: [{ messageId: 'wholeFs', line: 3, column: 1, data: { from: 'b' } }],
    },
  ],
});

t.run(rule('wget-and-curl'), {
  valid: ['FROM a:1\nRUN curl -fsSL x\nFROM b:1\nRUN wget -q y\n', 'FROM a:1\nRUN curl a && curl b\n'],
  invalid: [
    {
      code: 'FROM a:1\nRUN curl -fsSL x\nRUN true && wget -q y\n',
      errors: [{ messageId: 'both', line: 3, column: 13, data: { tool: 'wget', other: 'curl' } }],
    },
  ],
});

t.run(rule('ln-bin-sh'), {
  valid: ['FROM a:1\nRUN ln -s /usr/bin/python3 /usr/bin/python\n'],
  invalid: [
    {
      code: 'FROM a:1\nRUN ln -sf /bin/bash /bin/sh\n',
      errors: [{ messageId: 'relink', line: 2, column: 5 }],
    },
  ],
});

t.run(rule('secrets-in-env'), {
  valid: ['FROM a:1\nENV AWS_REGION=eu-west-1\n'],
  invalid: [
    {
      name: 'hadolint DL3064 names',
      code: 'ARG AWS_ACCESS_KEY_ID\nFROM a:1\nENV OKTA_OAUTH2_CLIENTSECRET=x VAULT_CLIENT_KEY=y\n',
      errors: [
        { messageId: 'name', line: 1, column: 5 },
        { messageId: 'name', line: 3, column: 5 },
        { messageId: 'name', line: 3, column: 32 },
      ],
    },
  ],
});

// ruleTester registers its suites synchronously, so the set is complete by now
it('every dockerfile rule has valid and invalid cases', () => {
  const missing = family.rules.map((r) => r.meta.id).filter((id) => !testedRuleIds().has(id));
  assert.deepEqual(missing, []);
});
