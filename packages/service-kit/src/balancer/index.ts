export { haproxyConfig, DEFAULT_CHECK_INTERVAL_MS, type BalancerConfigOptions } from './haproxy-config.ts'
export { balancerServerStates, balancerConnections, adminCommand } from './admin-socket.ts'
