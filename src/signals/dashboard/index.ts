export { deadLetterFilterSchema, deadLetterListQuerySchema, signalsDashboard, type DashboardState, type SignalsDashboardOptions } from './dashboard-router.js';
export { SignalStats, type FailureGroup, type ReceiverStatsSnapshot, type SignalStatsSnapshot } from './signal-stats.js';
