/**
 * The formula language of derived columns and view filters: a small Pratt parser to an expression tree and an
 * interpreter over it. Nothing is ever compiled to JavaScript (no eval, no Function): a formula can only read the
 * row's cells and call the whitelisted functions below.
 *
 * Grammar: numbers (`1.5e3`), strings (`"text"`), columns by name (`close`, or `[any name]` for names with
 * spaces), `+ - * / % ^`, comparisons `< <= > >= == !=`, `and or not`, function calls. A missing cell is null and
 * makes arithmetic null; comparisons with null are false.
 */

export type Value = number | string | boolean | null;

export class FormulaError extends Error {
  override readonly name = 'FormulaError';
}

type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'column'; name: string }
  | { kind: 'unary'; operator: '-' | 'not'; operand: Node }
  | { kind: 'binary'; operator: string; left: Node; right: Node }
  | { kind: 'call'; name: string; args: Node[] };

type Token = { type: 'number' | 'string' | 'name' | 'column' | 'operator' | 'end'; text: string; at: number };

export const MAX_FORMULA_LENGTH = 1000;
const MAX_DEPTH = 64;

const TOKEN =
  /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|"((?:[^"\\]|\\.)*)"|\[([^\]]{1,200})\]|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|[-+*/%^<>(),]))/y;

const tokenize = (source: string): Token[] => {
  if (source.length > MAX_FORMULA_LENGTH)
    throw new FormulaError(`a formula is at most ${MAX_FORMULA_LENGTH} characters`);
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(source);
    if (match === null) throw new FormulaError(`unexpected character at position ${at + 1}`);
    const [, number, string, column, name, operator] = match;
    if (number !== undefined) tokens.push({ type: 'number', text: number, at });
    else if (string !== undefined) tokens.push({ type: 'string', text: string.replace(/\\(.)/g, '$1'), at });
    else if (column !== undefined) tokens.push({ type: 'column', text: column, at });
    else if (name !== undefined) tokens.push({ type: 'name', text: name, at });
    else tokens.push({ type: 'operator', text: operator ?? '', at });
    at = TOKEN.lastIndex;
  }
  tokens.push({ type: 'end', text: '', at: source.length });
  return tokens;
};

// Binding powers: or < and < comparison < additive < multiplicative < power (right-associative).
const INFIX: Record<string, number> = {
  or: 1,
  and: 2,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '==': 3,
  '!=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  '^': 7,
};

const FUNCTIONS: Record<string, { arity: [number, number]; apply: (args: Value[]) => Value }> = {
  abs: { arity: [1, 1], apply: ([x]) => numeric(x, Math.abs) },
  sqrt: { arity: [1, 1], apply: ([x]) => numeric(x, (v) => (v < 0 ? null : Math.sqrt(v))) },
  log: { arity: [1, 1], apply: ([x]) => numeric(x, (v) => (v <= 0 ? null : Math.log(v))) },
  exp: { arity: [1, 1], apply: ([x]) => numeric(x, Math.exp) },
  floor: { arity: [1, 1], apply: ([x]) => numeric(x, Math.floor) },
  ceil: { arity: [1, 1], apply: ([x]) => numeric(x, Math.ceil) },
  round: {
    arity: [1, 2],
    apply: ([x, digits]) => {
      const places = typeof digits === 'number' ? Math.max(0, Math.min(12, Math.trunc(digits))) : 0;
      return numeric(x, (v) => Math.round(v * 10 ** places) / 10 ** places);
    },
  },
  min: { arity: [1, 20], apply: (args) => extreme(args, Math.min) },
  max: { arity: [1, 20], apply: (args) => extreme(args, Math.max) },
  if: {
    arity: [3, 3],
    apply: ([condition, then, otherwise]) => (condition === true ? (then ?? null) : (otherwise ?? null)),
  },
  isnull: { arity: [1, 1], apply: ([x]) => x === null || x === undefined },
};

/** Own entries only: a name like "constructor" must not reach Object.prototype. */
const functionNamed = (name: string) => (Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined);

function numeric(value: Value | undefined, apply: (value: number) => number | null): Value {
  if (typeof value !== 'number') return null;
  const result = apply(value);
  return result === null || Number.isFinite(result) ? result : null;
}

function extreme(args: Value[], pick: (...values: number[]) => number): Value {
  const numbers = args.filter((arg): arg is number => typeof arg === 'number');
  return numbers.length === args.length ? pick(...numbers) : null;
}

/** Parses a formula into a tree (throws FormulaError naming the position of the first problem). */
export const parseFormula = (source: string): Node => {
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position] as Token;
  const next = () => tokens[position++] as Token;
  const expect = (text: string) => {
    const token = next();
    if (token.text !== text || token.type === 'string')
      throw new FormulaError(`expected "${text}" at position ${token.at + 1}`);
  };
  const expression = (minPower: number, depth: number): Node => {
    if (depth > MAX_DEPTH) throw new FormulaError('formula is nested too deeply');
    let left = prefix(depth);
    for (;;) {
      const token = peek();
      const isOperator =
        token.type === 'operator' || (token.type === 'name' && (token.text === 'and' || token.text === 'or'));
      const power = isOperator && Object.hasOwn(INFIX, token.text) ? INFIX[token.text] : undefined;
      if (power === undefined || power <= minPower) return left;
      next();
      // ^ is right-associative: its right side may hold another ^
      const right = expression(token.text === '^' ? power - 1 : power, depth + 1);
      left = { kind: 'binary', operator: token.text, left, right };
    }
  };
  const prefix = (depth: number): Node => {
    const token = next();
    if (token.type === 'number') return { kind: 'literal', value: Number(token.text) };
    if (token.type === 'string') return { kind: 'literal', value: token.text };
    if (token.type === 'column') return { kind: 'column', name: token.text.trim() };
    if (token.type === 'operator' && token.text === '-')
      return { kind: 'unary', operator: '-', operand: expression(6, depth + 1) };
    if (token.type === 'operator' && token.text === '(') {
      const inner = expression(0, depth + 1);
      expect(')');
      return inner;
    }
    if (token.type === 'name') {
      if (token.text === 'not') return { kind: 'unary', operator: 'not', operand: expression(2, depth + 1) };
      if (token.text === 'true' || token.text === 'false')
        return { kind: 'literal', value: token.text === 'true' };
      if (token.text === 'null') return { kind: 'literal', value: null };
      if (peek().text === '(' && peek().type === 'operator') {
        const fn = functionNamed(token.text.toLowerCase());
        if (fn === undefined)
          throw new FormulaError(`unknown function "${token.text.slice(0, 30)}" at position ${token.at + 1}`);
        next();
        const args: Node[] = [];
        if (peek().text !== ')') {
          do args.push(expression(0, depth + 1));
          while (peek().text === ',' && next());
        }
        expect(')');
        if (args.length < fn.arity[0] || args.length > fn.arity[1])
          throw new FormulaError(
            `${token.text} takes ${fn.arity[0] === fn.arity[1] ? fn.arity[0] : `${fn.arity[0]} to ${fn.arity[1]}`} arguments`,
          );
        return { kind: 'call', name: token.text.toLowerCase(), args };
      }
      return { kind: 'column', name: token.text };
    }
    throw new FormulaError(
      token.type === 'end'
        ? 'formula ends too early'
        : `unexpected "${token.text.slice(0, 30)}" at position ${token.at + 1}`,
    );
  };
  const tree = expression(0, 0);
  if (peek().type !== 'end')
    throw new FormulaError(`unexpected "${peek().text.slice(0, 30)}" at position ${peek().at + 1}`);
  return tree;
};

/** Column names a formula reads. */
export const formulaColumns = (tree: Node): string[] => {
  switch (tree.kind) {
    case 'column':
      return [tree.name];
    case 'unary':
      return formulaColumns(tree.operand);
    case 'binary':
      return [...formulaColumns(tree.left), ...formulaColumns(tree.right)];
    case 'call':
      return tree.args.flatMap(formulaColumns);
    default:
      return [];
  }
};

const compare = (operator: string, left: Value, right: Value): boolean => {
  if (left === null || right === null) return false;
  if (operator === '==') return left === right;
  if (operator === '!=') return left !== right;
  if (typeof left !== typeof right) return false;
  const l = left as number | string;
  const r = right as number | string;
  return operator === '<' ? l < r : operator === '<=' ? l <= r : operator === '>' ? l > r : l >= r;
};

const arithmetic = (operator: string, left: Value, right: Value): Value => {
  if (typeof left !== 'number' || typeof right !== 'number') return null;
  const result =
    operator === '+'
      ? left + right
      : operator === '-'
        ? left - right
        : operator === '*'
          ? left * right
          : operator === '/'
            ? left / right
            : operator === '%'
              ? left % right
              : left ** right;
  return Number.isFinite(result) ? result : null;
};

/** Evaluates a parsed formula on one row; `cell` answers a column's value (null when missing). */
export const evaluateFormula = (tree: Node, cell: (name: string) => Value): Value => {
  switch (tree.kind) {
    case 'literal':
      return tree.value;
    case 'column':
      return cell(tree.name);
    case 'unary': {
      const operand = evaluateFormula(tree.operand, cell);
      if (tree.operator === 'not') return operand === null ? null : operand !== true;
      return typeof operand === 'number' ? -operand : null;
    }
    case 'binary': {
      const left = evaluateFormula(tree.left, cell);
      if (tree.operator === 'and') return left === true && evaluateFormula(tree.right, cell) === true;
      if (tree.operator === 'or') return left === true || evaluateFormula(tree.right, cell) === true;
      const right = evaluateFormula(tree.right, cell);
      if (['<', '<=', '>', '>=', '==', '!='].includes(tree.operator))
        return compare(tree.operator, left, right);
      return arithmetic(tree.operator, left, right);
    }
    case 'call': {
      const fn = functionNamed(tree.name);
      if (fn === undefined) throw new FormulaError(`unknown function "${tree.name}"`);
      return fn.apply(tree.args.map((arg) => evaluateFormula(arg, cell)));
    }
  }
};

export type Formula = Node;
