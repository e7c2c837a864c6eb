/**
 * What the Dockerfile's runtime stage gives node (decision 019), read by the container test and
 * by the service benchmark, which runs each replica as the image would.
 */

/** The runtime stage: what follows the Dockerfile's last FROM. */
export function runtimeStage(dockerfile: string): string {
  return dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
}

/** The NODE_OPTIONS the runtime stage sets (a quoted value whole), or '' when it sets none. */
export function imageNodeOptions(dockerfile: string): string {
  const match = /^\s*(?:ENV\s+)?NODE_OPTIONS=(?:"([^"]*)"|(\S+))/m.exec(runtimeStage(dockerfile));
  return match?.[1] ?? match?.[2] ?? '';
}
