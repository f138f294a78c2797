import { isMap, type YAMLMap } from 'yaml';
import type { ParsedDoc } from '../parsing/parse-file';
import { podSpecOf, type PodSpecView } from './pod-spec';
import { MapView, YamlContext } from './yaml-view';

/** A Kubernetes object read from one YAML document. */
export class Resource {
  readonly root: MapView;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: MapView | undefined;
  readonly name: string;
  /** `metadata.namespace` as written; undefined when omitted. */
  readonly namespace: string | undefined;
  private podSpecCache: PodSpecView | null | undefined;
  private readonly derivations = new Map<string, { input: string; value: unknown }>();

  private constructor(readonly uri: string, readonly parsed: ParsedDoc, root: MapView, apiVersion: string, kind: string) {
    this.root = root;
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.metadata = root.map('metadata');
    this.name = this.metadata?.string('name') ?? this.metadata?.string('generateName') ?? '';
    this.namespace = this.metadata?.string('namespace');
  }

  /** A resource for documents with string `apiVersion` and `kind`; anything else is not Kubernetes. */
  static from(uri: string, parsed: ParsedDoc): Resource | undefined {
    const contents = parsed.doc.contents;
    if (!isMap(contents)) return undefined;
    const root = new MapView(contents as YAMLMap, new YamlContext(parsed.doc, parsed.source));
    const apiVersion = root.value('apiVersion');
    const kind = root.value('kind');
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !kind) return undefined;
    return new Resource(uri, parsed, root, apiVersion, kind);
  }

  get docIndex(): number {
    return this.parsed.index;
  }

  get labels(): Record<string, string> {
    return this.metadata?.map('labels')?.record() ?? {};
  }

  get annotations(): Record<string, string> {
    return this.metadata?.map('annotations')?.record() ?? {};
  }

  /** The pod spec of workload kinds (Pod, controllers, CronJob, PodTemplate), else undefined. */
  get podSpec(): PodSpecView | undefined {
    if (this.podSpecCache === undefined) this.podSpecCache = podSpecOf(this) ?? null;
    return this.podSpecCache ?? undefined;
  }

  /**
   * A value computed from this document alone (never from other resources), kept while the
   * document is unchanged. Workspace-wide indexes are rebuilt after every edit; built from
   * these, a rebuild costs a lookup per resource instead of re-reading every document.
   * `key` names the computation, `input` is every input besides the document (the default
   * namespace): a different input computes it again.
   */
  derived<T>(key: string, input: string, compute: () => T): T {
    const cached = this.derivations.get(key);
    if (cached && cached.input === input) return cached.value as T;
    const value = compute();
    this.derivations.set(key, { input, value });
    return value;
  }

  /** A short label for messages and reports: `Deployment/web`. */
  get label(): string {
    return `${this.kind}/${this.name || '(unnamed)'}`;
  }

  /** The namespace the object lands in, given the namespace used when none is written. */
  effectiveNamespace(defaultNamespace: string): string {
    return this.namespace ?? defaultNamespace;
  }
}
