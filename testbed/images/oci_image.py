#!/usr/bin/env python3
"""Writes a single-layer OCI image-layout tarball without Docker or a registry.

The testbed's machines reach no registry, so its images are assembled from local files: one
uncompressed layer, an image config, a manifest and an index.json carrying the name containerd
imports it under. Every timestamp, owner and ordering is fixed, so the same inputs give the same
bytes and digests, and a rebuild is a no-op for containerd.

Usage (all paths inside the image are absolute):
  oci_image.py --out FILE --name REF --version V --source URL
      [--entrypoint JSON] [--cmd JSON] [--user U] [--env K=V]... [--label K=V]...
      [--file SRC:DEST[:MODE]]... [--tree SRC:DEST]... [--dir DEST[:MODE]]... [--symlink DEST:TARGET]...
      [--text DEST:MODE:CONTENT]... [--xattr DEST:NAME:HEX]... [--busybox SRC] [--base-files]
Prints the manifest digest on stdout.
"""

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

CREATED = "2026-01-01T00:00:00Z"
MTIME = 1767225600  # CREATED as seconds since the epoch
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# Accounts for images whose programs run as non-root or look names up (nobody, distroless nonroot).
PASSWD = (
    "root:x:0:0:root:/root:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
    "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
)
GROUP = "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n"
NSSWITCH = "hosts: files dns\n"


class Layer:
    """Collects entries by path, then writes them in sorted order with fixed metadata."""

    def __init__(self):
        self.entries = {}

    def _parents(self, path):
        parts = path.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            parent = "/" + "/".join(parts[:i])
            if parent not in self.entries:
                self.entries[parent] = ("dir", 0o755, None)

    def add_dir(self, path, mode=0o755):
        self._parents(path)
        self.entries[path] = ("dir", mode, None)

    def add_bytes(self, path, data, mode):
        self._parents(path)
        self.entries[path] = ("file", mode, data)

    def add_symlink(self, path, target):
        self._parents(path)
        self.entries[path] = ("symlink", 0o777, target)

    def add_tree(self, src, dest):
        """A directory copied whole: files keep only their execute bit (0755 or 0644), symlinks
        stay symlinks, and the walk is sorted, so the layer does not depend on the host's umask."""
        self.add_dir(dest)
        for root, dirs, files in os.walk(src):
            dirs.sort()
            rel = os.path.relpath(root, src)
            base = dest if rel == "." else dest + "/" + rel
            for name in dirs + sorted(files):
                path, target = os.path.join(root, name), base + "/" + name
                if os.path.islink(path):
                    self.add_symlink(target, os.readlink(path))
                elif os.path.isdir(path):
                    self.add_dir(target)
                else:
                    with open(path, "rb") as f:
                        self.add_bytes(target, f.read(), 0o755 if os.access(path, os.X_OK) else 0o644)

    def add_xattr(self, path, name, value):
        if path not in self.entries:
            raise SystemExit(f"oci_image: --xattr names {path}, which is not in the image")
        kind, mode, data = self.entries[path]
        self.entries[path] = (kind, mode, data, {name: value})

    def tar_bytes(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for path in sorted(self.entries):
                kind, mode, data, *rest = self.entries[path]
                info = tarfile.TarInfo(path.lstrip("/"))
                info.mtime, info.uid, info.gid, info.uname, info.gname = MTIME, 0, 0, "", ""
                info.mode = mode
                if rest:
                    # containerd applies SCHILY.xattr.* PAX records, e.g. file capabilities.
                    info.pax_headers = {
                        f"SCHILY.xattr.{k}": v.decode("utf-8", "surrogateescape") for k, v in rest[0].items()
                    }
                if kind == "dir":
                    info.type = tarfile.DIRTYPE
                    tar.addfile(info)
                elif kind == "symlink":
                    info.type, info.linkname = tarfile.SYMTYPE, data
                    tar.addfile(info)
                else:
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
        return buf.getvalue()


def split(spec, n, what):
    parts = spec.split(":", n - 1)
    if len(parts) < n - 1:
        raise SystemExit(f"oci_image: bad {what} '{spec}'")
    return parts


def build_layer(args):
    layer = Layer()
    if args.base_files:
        layer.add_dir("/tmp", 0o1777)
        layer.add_dir("/root", 0o700)
        layer.add_dir("/home/nonroot", 0o700)
        layer.add_bytes("/etc/passwd", PASSWD.encode(), 0o644)
        layer.add_bytes("/etc/group", GROUP.encode(), 0o644)
        layer.add_bytes("/etc/nsswitch.conf", NSSWITCH.encode(), 0o644)
    if args.busybox:
        with open(args.busybox, "rb") as f:
            layer.add_bytes("/bin/busybox", f.read(), 0o755)
        # The binary itself says which applets this build has, so no list is typed here.
        applets = subprocess.run([args.busybox, "--list-full"], check=True, capture_output=True, text=True)
        for rel in applets.stdout.split():
            if rel not in ("bin/busybox", "linuxrc"):
                layer.add_symlink("/" + rel, "/bin/busybox")
    for spec in args.dir:
        dest, *mode = spec.split(":")
        layer.add_dir(dest, int(mode[0], 8) if mode else 0o755)
    for spec in args.file:
        src, dest, *mode = spec.split(":")
        with open(src, "rb") as f:
            layer.add_bytes(dest, f.read(), int(mode[0], 8) if mode else 0o755)
    for spec in args.tree:
        src, dest = split(spec, 2, "--tree")
        if not os.path.isdir(src):
            raise SystemExit(f"oci_image: --tree names {src}, which is not a directory")
        layer.add_tree(src, dest)
    for spec in args.text:
        dest, mode, content = split(spec, 3, "--text")
        layer.add_bytes(dest, content.encode(), int(mode, 8))
    for spec in args.symlink:
        dest, target = split(spec, 2, "--symlink")
        layer.add_symlink(dest, target)
    for spec in args.xattr:
        dest, name, value = split(spec, 3, "--xattr")
        layer.add_xattr(dest, name, bytes.fromhex(value))
    return layer.tar_bytes()


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def descriptor(media_type, data):
    return {"mediaType": media_type, "digest": "sha256:" + hashlib.sha256(data).hexdigest(), "size": len(data)}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True)
    p.add_argument("--name", required=True, help="full reference, e.g. kube-assay.local/probe:1.0")
    p.add_argument("--version", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--entrypoint", type=json.loads)
    p.add_argument("--cmd", type=json.loads)
    p.add_argument("--user")
    p.add_argument("--workdir", default="/")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--label", action="append", default=[])
    p.add_argument("--file", action="append", default=[])
    p.add_argument("--tree", action="append", default=[])
    p.add_argument("--dir", action="append", default=[])
    p.add_argument("--symlink", action="append", default=[])
    p.add_argument("--text", action="append", default=[])
    p.add_argument("--xattr", action="append", default=[])
    p.add_argument("--busybox")
    p.add_argument("--base-files", action="store_true")
    args = p.parse_args()

    layer = build_layer(args)
    layer_desc = descriptor("application/vnd.oci.image.layer.v1.tar", layer)

    labels = {
        "org.opencontainers.image.version": args.version,
        "org.opencontainers.image.source": args.source,
        "org.opencontainers.image.created": CREATED,
    }
    labels.update(dict(kv.split("=", 1) for kv in args.label))
    env = [e for e in args.env if not e.startswith("PATH=")]
    env.insert(0, next((e for e in args.env if e.startswith("PATH=")), "PATH=" + DEFAULT_PATH))
    config = {"Env": env, "WorkingDir": args.workdir, "Labels": labels}
    if args.entrypoint is not None:
        config["Entrypoint"] = args.entrypoint
    if args.cmd is not None:
        config["Cmd"] = args.cmd
    if args.user:
        config["User"] = args.user
    image_config = canonical({
        "architecture": "amd64",
        "os": "linux",
        "created": CREATED,
        "config": config,
        "rootfs": {"type": "layers", "diff_ids": [layer_desc["digest"]]},
        "history": [{"created": CREATED, "created_by": "kube-assay testbed/images/oci_image.py"}],
    })
    config_desc = descriptor("application/vnd.oci.image.config.v1+json", image_config)
    manifest = canonical({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config_desc,
        "layers": [layer_desc],
        "annotations": {"org.opencontainers.image.created": CREATED},
    })
    manifest_desc = descriptor("application/vnd.oci.image.manifest.v1+json", manifest)
    tag = args.name.rsplit(":", 1)[1] if ":" in args.name.rsplit("/", 1)[-1] else "latest"
    index = canonical({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [dict(manifest_desc, platform={"architecture": "amd64", "os": "linux"}, annotations={
            "io.containerd.image.name": args.name,
            "org.opencontainers.image.ref.name": tag,
        })],
    })

    blobs = [layer, image_config, manifest]
    files = [("oci-layout", canonical({"imageLayoutVersion": "1.0.0"})), ("index.json", index)]
    files += [("blobs/sha256/" + hashlib.sha256(b).hexdigest(), b) for b in blobs]
    tmp = args.out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(d)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, MTIME
            tar.addfile(info)
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, MTIME
            tar.addfile(info, io.BytesIO(data))
    os.replace(tmp, args.out)
    print(manifest_desc["digest"])


if __name__ == "__main__":
    sys.exit(main())
