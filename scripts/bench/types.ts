/** One measured figure, collected by the bench runner into BENCHMARKS.md. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target as text, e.g. "< 2000 ms". */
  target?: string;
  meetsTarget?: boolean;
  /** A figure measured in the same run to compare against (e.g. the naive approach). */
  baseline?: { name: string; value: number; unit: string };
  /** value / baseline.value, when a baseline is given. */
  ratio?: number;
  /** How it was measured, or what the figure depends on. */
  note?: string;
}

/** A benchmark suite: a named group of figures from one module. */
export interface BenchSuite {
  id: string;
  title: string;
  run: () => Promise<BenchResult[]>;
}
