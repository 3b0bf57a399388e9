export { haproxyConfig, DEFAULT_CHECK_INTERVAL_MS, type BalancerConfigOptions } from './haproxy-config.ts'
export { balancerServerStates, balancerConnections } from './admin-socket.ts'
