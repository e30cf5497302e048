// as: services/chat/src/app/__fixture__.ts
import { registerChatRoutes } from '../adapters/http/routes.ts';

export const routes = registerChatRoutes;
