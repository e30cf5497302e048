// as: services/users/src/app/__fixture__.ts
import type { FastifyReply } from 'fastify';

export type Reply = FastifyReply;
