/**
 * The yieldio lint rules: `no-floating-coroutine`, `no-yield-without-star` (type-aware, for users),
 * and `require-export-jsdoc` (a house rule of this repository).
 * @module
 * @internal
 */
import type { Rule } from 'eslint';
import type * as ESTree from 'estree';
import type ts from 'typescript';
import { ignoresResult, isAsyncGenType, isAwaitableType, isCoroutineType, returnsCoroutine } from './types.ts';

/** The part of typescript-eslint's parser services the rules use. */
interface TypeServices {
  program: ts.Program;
  esTreeNodeToTSNodeMap: { get(node: unknown): ts.Node };
}

function typeServices(context: Rule.RuleContext): TypeServices {
  const services = context.sourceCode.parserServices as Partial<TypeServices> | undefined;
  if (services?.program == null || services.esTreeNodeToTSNodeMap === undefined) {
    throw new Error(
      `yieldio/${context.id.replace(/^.*\//, '')} needs type information and got none for ${context.filename}: ` +
        "parse with typescript-eslint and set languageOptions.parserOptions.projectService: true (or 'project').",
    );
  }
  return services as TypeServices;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/** True if `node` sits directly in a `function*` body (not in a nested plain function). */
function inGenerator(node: Rule.Node): boolean {
  for (let n: Rule.Node | null = node.parent; n !== null; n = n.parent) {
    if (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression') return n.generator === true;
    if (n.type === 'ArrowFunctionExpression') return false;
  }
  return false;
}

/**
 * `no-floating-coroutine`: a coroutine (or async generator) created and dropped. `sleep(10);` as
 * a statement compiles and silently does nothing: the generator never runs. So does
 * `items.forEach(function* (x) { ... })`, whose callback's coroutines `forEach` ignores.
 */
export const noFloatingCoroutine: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow creating a coroutine and dropping it: it never runs', recommended: true },
    hasSuggestions: true,
    schema: [],
    messages: {
      floating:
        'This coroutine is created and dropped, so it never runs: `{{text}}` does nothing until it is awaited. ' +
        'Write `yield* {{text}}` inside a coroutine, or `createTask({{text}})` to run it concurrently (`void {{text}}` marks a deliberate drop).',
      asyncGen:
        'This async generator is created and dropped, so its body never runs: `{{text}}`. ' +
        'Iterate it with `yield* asyncFor({{text}}, body)`, or remove the call.',
      callback:
        '`{{callee}}` ignores what its callback returns, so the coroutine each call of this function creates is dropped and never runs. ' +
        'Loop with `for (const x of items) yield* work(x)` inside a coroutine, or run them as tasks: `yield* gather(items.map((x) => work(x)))`.',
      addYieldStar: 'Await it here: `yield* {{text}}`.',
    },
  },
  create(context) {
    const services = typeServices(context);
    const checker = services.program.getTypeChecker();
    const typeOf = (node: ESTree.Node): ts.Type => checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node));

    /** The sub-expressions of a statement's expression whose value is dropped and is a coroutine. */
    function dropped(expr: ESTree.Expression, out: ESTree.Expression[]): void {
      switch (expr.type) {
        case 'UnaryExpression':
          if (expr.operator === 'void') return; // `void coro()`: a deliberate drop
          break;
        case 'ConditionalExpression':
          dropped(expr.consequent, out);
          dropped(expr.alternate, out);
          return;
        case 'LogicalExpression':
          dropped(expr.right, out);
          return;
        case 'SequenceExpression':
          for (const e of expr.expressions) dropped(e, out);
          return;
        case 'ChainExpression':
          dropped(expr.expression, out);
          return;
        case 'CallExpression':
        case 'NewExpression':
        case 'Identifier':
        case 'MemberExpression':
          break;
        default:
          return; // assignments, yield, await, literals: not a dropped coroutine
      }
      const type = typeOf(expr);
      if (isCoroutineType(checker, type) || isAsyncGenType(type)) out.push(expr);
    }

    return {
      ExpressionStatement(node) {
        const found: ESTree.Expression[] = [];
        dropped(node.expression, found);
        for (const expr of found) {
          const text = shorten(context.sourceCode.getText(expr));
          if (isAsyncGenType(typeOf(expr)) && !isCoroutineType(checker, typeOf(expr))) {
            context.report({ node: expr, messageId: 'asyncGen', data: { text } });
            continue;
          }
          const suggest: Rule.SuggestionReportDescriptor[] =
            expr === node.expression && inGenerator(node)
              ? [{ messageId: 'addYieldStar', data: { text }, fix: (fixer) => fixer.insertTextBefore(expr, 'yield* ') }]
              : [];
          context.report({ node: expr, messageId: 'floating', data: { text }, suggest });
        }
      },
      CallExpression(node) {
        for (const arg of node.arguments) {
          if (
            arg.type !== 'FunctionExpression' &&
            arg.type !== 'ArrowFunctionExpression' &&
            arg.type !== 'Identifier' &&
            arg.type !== 'MemberExpression'
          ) {
            continue;
          }
          if (!returnsCoroutine(checker, typeOf(arg))) continue;
          const contextual = checker.getContextualType(services.esTreeNodeToTSNodeMap.get(arg) as ts.Expression);
          if (contextual === undefined || !ignoresResult(contextual)) continue;
          context.report({ node: arg, messageId: 'callback', data: { callee: shorten(context.sourceCode.getText(node.callee)) } });
        }
      },
    };
  },
};

/**
 * `no-yield-without-star`: `yield aw` where `yield* aw` was meant. In a `Coroutine` the compiler
 * already rejects it; in an untyped `function*` or an async-generator body it compiles, and the
 * awaitable is produced as a value instead of awaited.
 */
export const noYieldWithoutStar: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow `yield` of an awaitable: `yield*` awaits, `yield` does not', recommended: true },
    hasSuggestions: true,
    schema: [],
    messages: {
      noStar:
        '`yield` of an awaitable ({{type}}) does not await it: write `yield* {{text}}`. ' +
        '(In an async generator a bare `yield` produces the object itself as a value; disable this line if that is meant.)',
      addStar: 'Await it: `yield* {{text}}`.',
    },
  },
  create(context) {
    const services = typeServices(context);
    const checker = services.program.getTypeChecker();
    return {
      YieldExpression(node) {
        if (node.delegate || node.argument == null) return;
        const type = checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node.argument));
        if (!isAwaitableType(checker, type)) return;
        const text = shorten(context.sourceCode.getText(node.argument));
        const start = (node.range as [number, number])[0];
        context.report({
          node,
          messageId: 'noStar',
          data: { type: shorten(checker.typeToString(type)), text },
          suggest: [{ messageId: 'addStar', data: { text }, fix: (fixer) => fixer.replaceTextRange([start, start + 'yield'.length], 'yield*') }],
        });
      },
    };
  },
};

type Exported = ESTree.ExportNamedDeclaration['declaration'] | { type: 'TSDeclareFunction'; id: ESTree.Identifier | null };

/**
 * `require-export-jsdoc` (house rule, style.md §6.8): every exported function, class, const or let
 * has a JSDoc block; for overloads, the first signature carries it.
 */
export const requireExportJsdoc: Rule.RuleModule = {
  meta: {
    type: 'suggestion',
    docs: { description: 'Require a JSDoc block on every exported function, class and variable (the first overload only)' },
    schema: [],
    messages: { missing: 'export without JSDoc: `{{name}}` needs a /** ... */ block saying what it does and its asyncio counterpart.' },
  },
  create(context) {
    const seen = new Set<string>();
    return {
      ExportNamedDeclaration(node) {
        const declaration = node.declaration as Exported;
        if (declaration == null) return;
        let names: string[];
        if (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration' || declaration.type === 'TSDeclareFunction') {
          names = declaration.id === null ? [] : [declaration.id.name];
        } else if (declaration.type === 'VariableDeclaration' && declaration.kind !== 'var') {
          names = declaration.declarations.flatMap((d) => (d.id.type === 'Identifier' ? [d.id.name] : []));
        } else {
          return;
        }
        const name = names[0];
        if (name === undefined || seen.has(name)) return;
        seen.add(name);
        const comments = context.sourceCode.getCommentsBefore(node).filter((c) => c.type === 'Block');
        const last = comments[comments.length - 1];
        if (last === undefined || !last.value.startsWith('*')) context.report({ node, messageId: 'missing', data: { name } });
      },
    };
  },
};
