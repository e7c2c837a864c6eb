export { createServiceMetrics, platformOf, type ServiceMetrics, type CycleOutcome } from './service-metrics.js';
