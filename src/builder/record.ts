// What names a builder (for every buildx command on it) and what post needs to remove it: the types the
// builder phase hands down the pipeline, in a module of their own so that nothing imports the builder's
// code for them.
import type { WorkloadKind } from '../inputs/kubernetes.js';

/** What a buildx command on the builder needs: its name and the environment (KUBECONFIG) it runs in. */
export interface BuilderRef {
  readonly name: string;
  readonly env: Readonly<Record<string, string>>;
}

/** What post needs to remove a builder: saved in the state before the builder is created. */
export interface BuilderRecord extends BuilderRef {
  readonly keep: boolean;
  /** Post removes it: the action made it (in this run or, kubernetes, an earlier one) and it is not kept. */
  readonly remove: boolean;
  /**
   * The docker-container builder's state volume: post removes the builder but not this volume, then
   * deletes it without waiting (BuildKit's extracted layers take seconds to delete).
   */
  readonly stateVolume?: string;
  /** The kubernetes driver: where its workloads live (one a node), for post's fallback when buildx cannot remove it. */
  readonly kubernetes?: {
    readonly namespace: string;
    readonly workloads: readonly string[];
    readonly kind: WorkloadKind;
    /** The kubeconfig written from the input, if any. */
    readonly kubeconfig?: string;
  };
}
