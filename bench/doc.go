// Package bench holds the benchmark baseline that needs a dependency the
// library does not: a generic RFC 7396 merge-patch library. It is a module
// of its own so that users of contactpatch never inherit it. run.sh runs
// these benchmarks with the root package's and prints the ratios.
package bench
