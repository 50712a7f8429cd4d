import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { type ExecutionResult, GraphQLError } from 'graphql';
import mercurius from 'mercurius';
import { z } from 'zod';
import { BearerError, DomainError, ValidationError } from '../../lib/errors.js';
import type { Services } from '../../services.js';
import { describeError } from '../../web/errors.js';
import { principalOf } from '../bearer.js';
import { queryLimitsRule } from './limits.js';
import { type GraphQLContext, resolvers, typeDefs } from './schema.js';

// POST /graphql: graphql-js through mercurius, behind the bearer API's check (401 before the
// body is read, so the schema, introspection included, is only ever seen with a valid token).
// Errors are GraphQL's: `{"errors":[{"message","extensions":{"code"}}]}`.

const body = z.object({
  query: z.string().min(1).max(20_000),
  variables: z.record(z.string(), z.unknown()).nullable().optional(),
  operationName: z.string().max(200).nullable().optional(),
});

/** A domain error as a GraphQL error: its message and stable code (and the scope it lacks). */
function extensionsOf(error: DomainError): Record<string, unknown> {
  if (error instanceof BearerError) return { code: error.code, scope: error.scope };
  if (error instanceof ValidationError) return { code: error.code, errors: error.fields };
  return { code: error.code };
}

/** Formats resolver errors: domain errors keep their code; anything else is logged and hidden. */
function formatErrors(execution: ExecutionResult & { errors: readonly GraphQLError[] }, context: unknown) {
  const { reply } = context as { reply: FastifyReply };
  const errors = execution.errors.map((e) => {
    const original = e.originalError;
    if (original instanceof DomainError)
      return { message: original.message, path: e.path, extensions: extensionsOf(original) };
    if (original && !(original instanceof GraphQLError)) {
      reply.log.error({ err: original, reqId: reply.request.id }, 'graphql resolver failed');
      return {
        message: 'Something went wrong on our side.',
        path: e.path,
        extensions: { code: 'internal_error' },
      };
    }
    return e.toJSON();
  });
  return { statusCode: 200, response: { data: execution.data ?? null, errors } };
}

/** Errors before execution (credential, body, syntax, validation, limits) in the GraphQL shape. */
function graphqlErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const graphqlErrors = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(graphqlErrors)) {
    const errors = graphqlErrors.map((e) =>
      e instanceof GraphQLError ? e.toJSON() : { message: String((e as Error).message) },
    );
    return reply.status(400).send({ errors });
  }
  const d = describeError(error);
  if (d.status >= 500) request.log.error({ err: error, reqId: request.id }, 'request failed');
  const extensions = { code: d.code, ...(d.fields ? { errors: d.fields } : {}) };
  return reply
    .status(d.status)
    .headers(d.headers)
    .send({ errors: [{ message: d.message, extensions }] });
}

/** Registers POST /graphql on a bearer API scope. */
export async function graphqlRoutes(scope: FastifyInstance, services: Services) {
  await scope.register(async (gql) => {
    gql.setErrorHandler(graphqlErrorHandler);
    await gql.register(mercurius, {
      schema: typeDefs,
      resolvers: resolvers(services) as never,
      routes: false,
      graphiql: false,
      validationRules: [queryLimitsRule()],
      errorFormatter: formatErrors as never,
    });
    gql.withTypeProvider<ZodTypeProvider>().post(
      '/graphql',
      {
        schema: {
          tags: ['Protected API'],
          security: [{ appToken: [] }],
          summary: 'GraphQL: viewer, installation, custom events, subscriptions, privacy requests',
          body,
        },
      },
      async (request, reply) => {
        const context: GraphQLContext = { principal: principalOf(request) };
        const { query, variables, operationName } = request.body;
        return reply.graphql(query, context as never, variables ?? undefined, operationName ?? undefined);
      },
    );
  });
}
