// Package cluster runs PostgreSQL clusters that the project manages itself:
// the long-lived development cluster behind `make run` (EnsureDev) and
// throwaway clusters for integration tests (StartTemp).
//
// PostgreSQL refuses to run as root. When this process is root, every
// PostgreSQL program runs as the OS user postgres and the files it must
// write are chowned to that user; otherwise everything runs as the current
// user.
package cluster
