export { createDeliveryService, type DeliveryService } from './create-service.ts';
export { createDeliveryApp } from './create-app.ts';
export { loadDeliveryConfig, deliveryConfigSchema, type DeliveryConfig } from './config.ts';
export { httpInboxReader } from './adapters/http-inbox-reader.ts';
