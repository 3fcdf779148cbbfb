// lxc / incus / lxtop configuration: remotes, the default remote, and resolving a target.
export { loadConfig, findRemote, namesakes, daemonRemotes, parseConfigText, describeYamlError, type LoadOptions } from './load.js';
export { resolveTarget, describeTarget, targetForRemote, parseTargetArgs, httpsUrl, serverCertFile, type ResolveOptions } from './resolve.js';
export { configSources, lxtopSource, type Env } from './paths.js';
export * from './types.js';
export { withRemote, withoutRemote, withDefaultRemote, writeAllOrNothing, type FileWrite, type RemoteToWrite } from './write.js';
