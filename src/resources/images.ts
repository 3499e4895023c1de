// Container image references read the way the kubelet and registries read them:
// [registry/]repository[:tag][@digest]. A reference without a tag means `latest`; ECR
// repositories name their region in the host (<account>.dkr.ecr.<region>.amazonaws.com).

export type ImagePinning = 'digest' | 'tag' | 'latest' | 'none';

export interface ImageReference {
  reference: string;
  /** Registry host, `docker.io` when the reference names none. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** digest: immutable; tag: a named tag; latest/none: a tag that moves (none means latest). */
  pinning: ImagePinning;
  /** Region of an ECR registry, when the image is in one. */
  ecrRegion?: string;
}

const ECR_HOST = /^\d{12}\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/;

export function parseImageReference(reference: string): ImageReference {
  let rest = reference.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  // The first component is a registry host when it has a dot or a port, or is localhost.
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  const path = hasRegistry ? rest.slice(slash + 1) : rest;
  const colon = path.lastIndexOf(':');
  const tag = colon >= 0 ? path.slice(colon + 1) : undefined;
  const repository = colon >= 0 ? path.slice(0, colon) : path;
  const pinning: ImagePinning = digest !== undefined ? 'digest' : tag === undefined ? 'none' : tag === 'latest' ? 'latest' : 'tag';
  const ecrRegion = ECR_HOST.exec(registry)?.[1];
  return {
    reference,
    registry,
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
    pinning,
    ...(ecrRegion === undefined ? {} : { ecrRegion }),
  };
}

/** A tag that can point at other content tomorrow: `latest`, or no tag at all. */
export function isMovingTag(image: ImageReference): boolean {
  return image.pinning === 'latest' || image.pinning === 'none';
}
