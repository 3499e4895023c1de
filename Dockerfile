# kube-assay's container image for machines with Docker; equivalent to the image that
# deploy/image/build.sh assembles without Docker (docs/in-cluster.md): the official Node.js build,
# the Debian C libraries it links, the built CLI with production dependencies only, no shell, no
# compilers, run as the distroless `nonroot` user 65532.
#   docker build -t kube-assay:0.1.0 .
# The base is pinned to the Node.js release deploy/image/build.sh pins (NODE_VERSION); pin it by
# digest as well in your registry mirror if your policy asks for that.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY suites ./suites
COPY schemas ./schemas
COPY fixtures ./fixtures
RUN npx tsc -p tsconfig.json \
 && npm prune --omit=dev --ignore-scripts \
 && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o -name '*.md' -o -name '*.ts' \) -delete
# The root file system of the final image, laid out as deploy/image/build.sh lays it out.
RUN set -eu; r=/rootfs; \
    mkdir -p $r/usr/local/bin $r/lib/x86_64-linux-gnu $r/lib64 $r/etc $r/tmp $r/results $r/home/nonroot $r/root $r/app/dist $r/app/suites; \
    chmod 1777 $r/tmp $r/results; chmod 700 $r/root $r/home/nonroot; \
    cp /usr/local/bin/node $r/usr/local/bin/node; \
    for lib in $(ldd /usr/local/bin/node | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'); do cp -L "$lib" "$r$lib"; done; \
    cp -L /lib64/ld-linux-x86-64.so.2 $r/lib64/; \
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >$r/etc/passwd; \
    printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >$r/etc/group; \
    printf 'hosts: files dns\n' >$r/etc/nsswitch.conf; \
    cp -r package.json schemas fixtures node_modules $r/app/; cp -r dist/src dist/suites $r/app/dist/; \
    for f in suites/*/*.yaml; do mkdir -p "$r/app/$(dirname "$f")"; cp "$f" "$r/app/$f"; done; \
    chown -R 0:0 $r

FROM scratch
COPY --from=build /rootfs /
ENV NODE_OPTIONS=--max-semi-space-size=1 HOME=/home/nonroot
WORKDIR /home/nonroot
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/node", "/app/dist/src/cli/main.js"]
CMD ["--help"]
