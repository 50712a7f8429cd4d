import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/** How much one GraphQL operation may ask for. */
export interface QueryLimits {
  /** Nesting of fields (the seed's viewer query is 4 deep). */
  depth: number;
  /** Aliased fields: each alias can repeat a whole subtree. */
  aliases: number;
  /** Fields to resolve, each field under a paged list counted once per item it may return. */
  cost: number;
}

export const DEFAULT_LIMITS: QueryLimits = { depth: 8, aliases: 10, cost: 2000 };

/** Paged lists and how many items they return when `first` is not given (the API's default). */
const PAGED_FIELDS = new Set(['customEvents', 'subscriptions']);
const DEFAULT_PAGE = 25;
const MAX_PAGE = 100;

interface Tally {
  depth: number;
  aliases: number;
  cost: number;
}

/** The items a field may return: its literal `first`, the maximum for a variable, else 1 or the default page. */
function itemsOf(field: {
  name: { value: string };
  arguments?: readonly { name: { value: string }; value: { kind: Kind } }[];
}) {
  const first = field.arguments?.find((a) => a.name.value === 'first')?.value;
  if (first?.kind === Kind.INT)
    return Math.min(Number((first as unknown as { value: string }).value), MAX_PAGE);
  if (first !== undefined) return MAX_PAGE;
  return PAGED_FIELDS.has(field.name.value) ? DEFAULT_PAGE : 1;
}

function walk(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  at: { depth: number; multiplier: number; visiting: Set<string> },
  tally: Tally,
): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) tally.aliases += 1;
      // Introspection is answered from the schema in memory and bounded by it.
      if (selection.name.value.startsWith('__')) continue;
      tally.cost += at.multiplier;
      tally.depth = Math.max(tally.depth, at.depth);
      if (selection.selectionSet)
        walk(
          selection.selectionSet,
          fragments,
          { ...at, depth: at.depth + 1, multiplier: at.multiplier * itemsOf(selection) },
          tally,
        );
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      walk(selection.selectionSet, fragments, at, tally);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A fragment cycle is reported by graphql-js's own NoFragmentCycles rule.
      if (!fragment || at.visiting.has(name)) continue;
      walk(fragment.selectionSet, fragments, { ...at, visiting: new Set([...at.visiting, name]) }, tally);
    }
  }
}

/** A graphql-js validation rule refusing an operation over the depth, alias or cost limit. */
export function queryLimitsRule(limits: QueryLimits = DEFAULT_LIMITS): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const d of document.definitions)
        if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      for (const operation of document.definitions) {
        if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
        const tally: Tally = { depth: 0, aliases: 0, cost: 0 };
        walk(operation.selectionSet, fragments, { depth: 1, multiplier: 1, visiting: new Set() }, tally);
        const over = (['depth', 'aliases', 'cost'] as const).filter((k) => tally[k] > limits[k]);
        for (const k of over)
          context.reportError(
            new GraphQLError(`The query's ${k} is ${tally[k]}; at most ${limits[k]} is allowed.`, {
              nodes: operation,
              extensions: { code: 'query_too_complex' },
            }),
          );
      }
      return false;
    },
  });
}
