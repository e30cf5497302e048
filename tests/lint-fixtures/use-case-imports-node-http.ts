// as: services/delivery/src/app/__fixture__.ts
import type { ServerResponse } from 'node:http';

export type Response = ServerResponse;
