// @ts-nocheck

import { AbstractParseTreeVisitor } from "antlr4ng";


import { ProgramContext } from "./BertIRParser.js";
import { ItemContext } from "./BertIRParser.js";
import { ConfigDeclContext } from "./BertIRParser.js";
import { ConfigEntryContext } from "./BertIRParser.js";
import { ConstDeclContext } from "./BertIRParser.js";
import { AssertStmtContext } from "./BertIRParser.js";
import { LayerDeclContext } from "./BertIRParser.js";
import { DimParamsContext } from "./BertIRParser.js";
import { LossDeclContext } from "./BertIRParser.js";
import { InputContext } from "./BertIRParser.js";
import { SingleResultContext } from "./BertIRParser.js";
import { NamedResultsContext } from "./BertIRParser.js";
import { NamedResultContext } from "./BertIRParser.js";
import { TensorTypeContext } from "./BertIRParser.js";
import { BlockContext } from "./BertIRParser.js";
import { StmtContext } from "./BertIRParser.js";
import { ParamDeclContext } from "./BertIRParser.js";
import { LetStmtContext } from "./BertIRParser.js";
import { ForStmtContext } from "./BertIRParser.js";
import { TapStmtContext } from "./BertIRParser.js";
import { ReturnStmtContext } from "./BertIRParser.js";
import { KernelStmtContext } from "./BertIRParser.js";
import { PrimaryExprContext } from "./BertIRParser.js";
import { UnaryExprContext } from "./BertIRParser.js";
import { MulExprContext } from "./BertIRParser.js";
import { AddExprContext } from "./BertIRParser.js";
import { RelExprContext } from "./BertIRParser.js";
import { EqExprContext } from "./BertIRParser.js";
import { AndExprContext } from "./BertIRParser.js";
import { OrExprContext } from "./BertIRParser.js";
import { NumberLitContext } from "./BertIRParser.js";
import { StringLitContext } from "./BertIRParser.js";
import { CallExprContext } from "./BertIRParser.js";
import { NameRefContext } from "./BertIRParser.js";
import { ListLitContext } from "./BertIRParser.js";
import { ParenExprContext } from "./BertIRParser.js";
import { CallContext } from "./BertIRParser.js";
import { ArgContext } from "./BertIRParser.js";


/**
 * This interface defines a complete generic visitor for a parse tree produced
 * by `BertIRParser`.
 *
 * @param <Result> The return type of the visit operation. Use `void` for
 * operations with no return type.
 */
export class BertIRVisitor<Result> extends AbstractParseTreeVisitor<Result> {
    /**
     * Visit a parse tree produced by `BertIRParser.program`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitProgram?: (ctx: ProgramContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.item`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitItem?: (ctx: ItemContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.configDecl`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitConfigDecl?: (ctx: ConfigDeclContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.configEntry`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitConfigEntry?: (ctx: ConfigEntryContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.constDecl`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitConstDecl?: (ctx: ConstDeclContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.assertStmt`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitAssertStmt?: (ctx: AssertStmtContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.layerDecl`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitLayerDecl?: (ctx: LayerDeclContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.dimParams`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitDimParams?: (ctx: DimParamsContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.lossDecl`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitLossDecl?: (ctx: LossDeclContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.input`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitInput?: (ctx: InputContext) => Result;
    /**
     * Visit a parse tree produced by the `singleResult`
     * labeled alternative in `BertIRParser.results`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitSingleResult?: (ctx: SingleResultContext) => Result;
    /**
     * Visit a parse tree produced by the `namedResults`
     * labeled alternative in `BertIRParser.results`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitNamedResults?: (ctx: NamedResultsContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.namedResult`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitNamedResult?: (ctx: NamedResultContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.tensorType`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitTensorType?: (ctx: TensorTypeContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.block`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitBlock?: (ctx: BlockContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.stmt`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitStmt?: (ctx: StmtContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.paramDecl`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitParamDecl?: (ctx: ParamDeclContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.letStmt`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitLetStmt?: (ctx: LetStmtContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.forStmt`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitForStmt?: (ctx: ForStmtContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.tapStmt`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitTapStmt?: (ctx: TapStmtContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.returnStmt`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitReturnStmt?: (ctx: ReturnStmtContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.kernelStmt`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitKernelStmt?: (ctx: KernelStmtContext) => Result;
    /**
     * Visit a parse tree produced by the `primaryExpr`
     * labeled alternative in `BertIRParser.expr`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitPrimaryExpr?: (ctx: PrimaryExprContext) => Result;
    /**
     * Visit a parse tree produced by the `unaryExpr`
     * labeled alternative in `BertIRParser.expr`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitUnaryExpr?: (ctx: UnaryExprContext) => Result;
    /**
     * Visit a parse tree produced by the `mulExpr`
     * labeled alternative in `BertIRParser.expr`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitMulExpr?: (ctx: MulExprContext) => Result;
    /**
     * Visit a parse tree produced by the `addExpr`
     * labeled alternative in `BertIRParser.expr`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitAddExpr?: (ctx: AddExprContext) => Result;
    /**
     * Visit a parse tree produced by the `relExpr`
     * labeled alternative in `BertIRParser.expr`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitRelExpr?: (ctx: RelExprContext) => Result;
    /**
     * Visit a parse tree produced by the `eqExpr`
     * labeled alternative in `BertIRParser.expr`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitEqExpr?: (ctx: EqExprContext) => Result;
    /**
     * Visit a parse tree produced by the `andExpr`
     * labeled alternative in `BertIRParser.expr`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitAndExpr?: (ctx: AndExprContext) => Result;
    /**
     * Visit a parse tree produced by the `orExpr`
     * labeled alternative in `BertIRParser.expr`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitOrExpr?: (ctx: OrExprContext) => Result;
    /**
     * Visit a parse tree produced by the `numberLit`
     * labeled alternative in `BertIRParser.primary`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitNumberLit?: (ctx: NumberLitContext) => Result;
    /**
     * Visit a parse tree produced by the `stringLit`
     * labeled alternative in `BertIRParser.primary`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitStringLit?: (ctx: StringLitContext) => Result;
    /**
     * Visit a parse tree produced by the `callExpr`
     * labeled alternative in `BertIRParser.primary`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitCallExpr?: (ctx: CallExprContext) => Result;
    /**
     * Visit a parse tree produced by the `nameRef`
     * labeled alternative in `BertIRParser.primary`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitNameRef?: (ctx: NameRefContext) => Result;
    /**
     * Visit a parse tree produced by the `listLit`
     * labeled alternative in `BertIRParser.primary`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitListLit?: (ctx: ListLitContext) => Result;
    /**
     * Visit a parse tree produced by the `parenExpr`
     * labeled alternative in `BertIRParser.primary`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitParenExpr?: (ctx: ParenExprContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.call`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitCall?: (ctx: CallContext) => Result;
    /**
     * Visit a parse tree produced by `BertIRParser.arg`.
     * @param ctx the parse tree
     * @return the visitor result
     */
    visitArg?: (ctx: ArgContext) => Result;
}

