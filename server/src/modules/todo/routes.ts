import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Todo, VillageParams } from '@liren/shared/contracts'
import type { Db } from '../../core/db.js'
import { ok, signedInRoute } from '../../core/routes.js'
import { requirePermission } from '../identity/index.js'
import { getTodo } from './get-todo.js'

const route = signedInRoute(['todo'])

/** 待办: the counts behind the home page's and the tab bar's red dots. */
export const todoRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const members = [app.authenticate, requirePermission(db, 'todo.read')]

  app.get(
    '/api/villages/:villageId/todo',
    route(members, '我的待办：要我处理的事和未读消息的数目', { params: VillageParams, response: ok(Todo) }),
    async (req) => getTodo(db, req.member, req.actor.userId),
  )
}
