// The bertc IR: configs of constants, layers (functions over tensors with HF-named parameters),
// and one `model` that is the entry point. The same language serves hand-written models and the
// flattened form that `bertc print` writes, so the printer's output always parses back.
grammar BertIR;

program     : item* EOF ;

item        : configDecl
            | constDecl
            | assertStmt
            | layerDecl
            | lossDecl
            ;

configDecl  : 'config' name=ID '{' (configEntry (',' configEntry)* ','?)? '}' ;
configEntry : ID '=' expr ;
constDecl   : 'const' ID '=' expr ';' ;
assertStmt  : 'assert' expr (',' STRING)? ';' ;

// `model` marks the entry point; `<K, N>` declares dimension variables, given as keyword arguments
// at a call or inferred from the arguments' shapes.
layerDecl   : kind=('layer' | 'model') name=ID dimParams? '(' (input (',' input)*)? ')' '->' results block ;
dimParams   : '<' ID (',' ID)* '>' ;
// A training objective over the model: its body reads the model's outputs by name and its own
// inputs, which are read from the inputs file as `loss.<name>`; it returns one scalar.
lossDecl    : 'loss' name=ID '(' (input (',' input)*)? ')' block ;
// An integer model input may declare its values' range, half-open as in `for`: `in 0 .. 2` is 0 or 1.
// A model input or result may name its tensor otherwise than the identifier the body uses, as a
// parameter does: `loss_R: f32[B, S, H] = "loss.R"` (how printed training steps name theirs).
input       : ID ':' tensorType ('in' lo=expr '..' hi=expr)? ('=' external=STRING)? ;
results     : tensorType                                    # singleResult
            | '(' namedResult (',' namedResult)* ')'        # namedResults
            ;
namedResult : ID ':' tensorType ('=' external=STRING)? ;
tensorType  : dtype=ID '[' (expr (',' expr)*)? ']' ;

block       : '{' stmt* '}' ;
stmt        : paramDecl
            | letStmt
            | forStmt
            | tapStmt
            | assertStmt
            | returnStmt
            | kernelStmt
            ;
// A parameter is bound to the tensor `<scope>.<name>` of the weights file, or `<scope>.<STRING>`.
paramDecl   : 'param' ID ':' tensorType ('=' STRING)? ';' ;
letStmt     : ID (':' tensorType)? '=' expr ';' ;
forStmt     : 'for' ID 'in' expr '..' expr block ;
// `tap "hidden_states.{l}" = h;` names an intermediate value that `run --taps` writes out.
tapStmt     : 'tap' STRING '=' expr ';' ;
returnStmt  : 'return' expr (',' expr)* ';' ;
// A kernel of a printed plan (`bertc opt`): its statements run in the enclosing scope, and the ops
// they create form one kernel when the plan is parsed back.
kernelStmt  : 'kernel' ID block ;

expr        : primary                                                  # primaryExpr
            | op=('-' | '!') expr                                      # unaryExpr
            | expr op=('*' | '/' | '%') expr                           # mulExpr
            | expr op=('+' | '-') expr                                 # addExpr
            | expr op=('<' | '<=' | '>' | '>=') expr                   # relExpr
            | expr op=('==' | '!=') expr                               # eqExpr
            | expr '&&' expr                                           # andExpr
            | expr '||' expr                                           # orExpr
            ;

primary     : NUMBER                                                   # numberLit
            | STRING                                                   # stringLit
            | call                                                     # callExpr
            | ID                                                       # nameRef
            | '[' (expr (',' expr)*)? ']'                              # listLit
            | '(' expr ')'                                             # parenExpr
            ;
// `@ "scope"` on a call to a layer prefixes the parameter names bound inside it.
call        : callee=ID '(' (arg (',' arg)*)? ')' ('@' scope=STRING)? ;
arg         : (ID '=')? expr ;

NUMBER      : DIGITS ('.' DIGITS)? EXPONENT?
            | '.' DIGITS EXPONENT?
            ;
fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
ID          : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING      : '"' (~["\\\r\n] | '\\' .)* '"' ;
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS          : [ \t\r\n]+ -> channel(HIDDEN) ;
// Any other character becomes a token the parser rejects, so the lexer never throws.
ERROR_CHAR  : . ;
