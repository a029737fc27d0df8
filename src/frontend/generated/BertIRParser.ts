// @ts-nocheck

import * as antlr from "antlr4ng";
import { Token } from "antlr4ng";

import { BertIRVisitor } from "./BertIRVisitor.js";

// for running tests with parameters, TODO: discuss strategy for typed parameters in CI
// eslint-disable-next-line no-unused-vars
type int = number;


export class BertIRParser extends antlr.Parser {
    public static readonly T__0 = 1;
    public static readonly T__1 = 2;
    public static readonly T__2 = 3;
    public static readonly T__3 = 4;
    public static readonly T__4 = 5;
    public static readonly T__5 = 6;
    public static readonly T__6 = 7;
    public static readonly T__7 = 8;
    public static readonly T__8 = 9;
    public static readonly T__9 = 10;
    public static readonly T__10 = 11;
    public static readonly T__11 = 12;
    public static readonly T__12 = 13;
    public static readonly T__13 = 14;
    public static readonly T__14 = 15;
    public static readonly T__15 = 16;
    public static readonly T__16 = 17;
    public static readonly T__17 = 18;
    public static readonly T__18 = 19;
    public static readonly T__19 = 20;
    public static readonly T__20 = 21;
    public static readonly T__21 = 22;
    public static readonly T__22 = 23;
    public static readonly T__23 = 24;
    public static readonly T__24 = 25;
    public static readonly T__25 = 26;
    public static readonly T__26 = 27;
    public static readonly T__27 = 28;
    public static readonly T__28 = 29;
    public static readonly T__29 = 30;
    public static readonly T__30 = 31;
    public static readonly T__31 = 32;
    public static readonly T__32 = 33;
    public static readonly T__33 = 34;
    public static readonly T__34 = 35;
    public static readonly T__35 = 36;
    public static readonly T__36 = 37;
    public static readonly T__37 = 38;
    public static readonly NUMBER = 39;
    public static readonly ID = 40;
    public static readonly STRING = 41;
    public static readonly LINE_COMMENT = 42;
    public static readonly BLOCK_COMMENT = 43;
    public static readonly WS = 44;
    public static readonly ERROR_CHAR = 45;
    public static readonly RULE_program = 0;
    public static readonly RULE_item = 1;
    public static readonly RULE_configDecl = 2;
    public static readonly RULE_configEntry = 3;
    public static readonly RULE_constDecl = 4;
    public static readonly RULE_assertStmt = 5;
    public static readonly RULE_layerDecl = 6;
    public static readonly RULE_dimParams = 7;
    public static readonly RULE_input = 8;
    public static readonly RULE_results = 9;
    public static readonly RULE_namedResult = 10;
    public static readonly RULE_tensorType = 11;
    public static readonly RULE_block = 12;
    public static readonly RULE_stmt = 13;
    public static readonly RULE_paramDecl = 14;
    public static readonly RULE_letStmt = 15;
    public static readonly RULE_forStmt = 16;
    public static readonly RULE_tapStmt = 17;
    public static readonly RULE_returnStmt = 18;
    public static readonly RULE_kernelStmt = 19;
    public static readonly RULE_expr = 20;
    public static readonly RULE_primary = 21;
    public static readonly RULE_call = 22;
    public static readonly RULE_arg = 23;

    public static readonly literalNames = [
        null, "'config'", "'{'", "','", "'}'", "'='", "'const'", "';'", 
        "'assert'", "'layer'", "'model'", "'('", "')'", "'->'", "'<'", "'>'", 
        "':'", "'['", "']'", "'param'", "'for'", "'in'", "'..'", "'tap'", 
        "'return'", "'kernel'", "'-'", "'!'", "'*'", "'/'", "'%'", "'+'", 
        "'<='", "'>='", "'=='", "'!='", "'&&'", "'||'", "'@'"
    ];

    public static readonly symbolicNames = [
        null, null, null, null, null, null, null, null, null, null, null, 
        null, null, null, null, null, null, null, null, null, null, null, 
        null, null, null, null, null, null, null, null, null, null, null, 
        null, null, null, null, null, null, "NUMBER", "ID", "STRING", "LINE_COMMENT", 
        "BLOCK_COMMENT", "WS", "ERROR_CHAR"
    ];
    public static readonly ruleNames = [
        "program", "item", "configDecl", "configEntry", "constDecl", "assertStmt", 
        "layerDecl", "dimParams", "input", "results", "namedResult", "tensorType", 
        "block", "stmt", "paramDecl", "letStmt", "forStmt", "tapStmt", "returnStmt", 
        "kernelStmt", "expr", "primary", "call", "arg",
    ];

    public get grammarFileName(): string { return "BertIR.g4"; }
    public get literalNames(): (string | null)[] { return BertIRParser.literalNames; }
    public get symbolicNames(): (string | null)[] { return BertIRParser.symbolicNames; }
    public get ruleNames(): string[] { return BertIRParser.ruleNames; }
    public get serializedATN(): number[] { return BertIRParser._serializedATN; }

    protected createFailedPredicateException(predicate?: string, message?: string): antlr.FailedPredicateException {
        return new antlr.FailedPredicateException(this, predicate, message);
    }

    public constructor(input: antlr.TokenStream) {
        super(input);
        this.interpreter = new antlr.ParserATNSimulator(this, BertIRParser._ATN, BertIRParser.decisionsToDFA, new antlr.PredictionContextCache());
    }
    public program(): ProgramContext {
        let localContext = new ProgramContext(this.context, this.state);
        this.enterRule(localContext, 0, BertIRParser.RULE_program);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 51;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while ((((_la) & ~0x1F) === 0 && ((1 << _la) & 1858) !== 0)) {
                {
                {
                this.state = 48;
                this.item();
                }
                }
                this.state = 53;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 54;
            this.match(BertIRParser.EOF);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public item(): ItemContext {
        let localContext = new ItemContext(this.context, this.state);
        this.enterRule(localContext, 2, BertIRParser.RULE_item);
        try {
            this.state = 60;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.T__0:
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 56;
                this.configDecl();
                }
                break;
            case BertIRParser.T__5:
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 57;
                this.constDecl();
                }
                break;
            case BertIRParser.T__7:
                this.enterOuterAlt(localContext, 3);
                {
                this.state = 58;
                this.assertStmt();
                }
                break;
            case BertIRParser.T__8:
            case BertIRParser.T__9:
                this.enterOuterAlt(localContext, 4);
                {
                this.state = 59;
                this.layerDecl();
                }
                break;
            default:
                throw new antlr.NoViableAltException(this);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public configDecl(): ConfigDeclContext {
        let localContext = new ConfigDeclContext(this.context, this.state);
        this.enterRule(localContext, 4, BertIRParser.RULE_configDecl);
        let _la: number;
        try {
            let alternative: number;
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 62;
            this.match(BertIRParser.T__0);
            this.state = 63;
            localContext._name = this.match(BertIRParser.ID);
            this.state = 64;
            this.match(BertIRParser.T__1);
            this.state = 76;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 40) {
                {
                this.state = 65;
                this.configEntry();
                this.state = 70;
                this.errorHandler.sync(this);
                alternative = this.interpreter.adaptivePredict(this.tokenStream, 2, this.context);
                while (alternative !== 2 && alternative !== antlr.ATN.INVALID_ALT_NUMBER) {
                    if (alternative === 1) {
                        {
                        {
                        this.state = 66;
                        this.match(BertIRParser.T__2);
                        this.state = 67;
                        this.configEntry();
                        }
                        }
                    }
                    this.state = 72;
                    this.errorHandler.sync(this);
                    alternative = this.interpreter.adaptivePredict(this.tokenStream, 2, this.context);
                }
                this.state = 74;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                if (_la === 3) {
                    {
                    this.state = 73;
                    this.match(BertIRParser.T__2);
                    }
                }

                }
            }

            this.state = 78;
            this.match(BertIRParser.T__3);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public configEntry(): ConfigEntryContext {
        let localContext = new ConfigEntryContext(this.context, this.state);
        this.enterRule(localContext, 6, BertIRParser.RULE_configEntry);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 80;
            this.match(BertIRParser.ID);
            this.state = 81;
            this.match(BertIRParser.T__4);
            this.state = 82;
            this.expr(0);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public constDecl(): ConstDeclContext {
        let localContext = new ConstDeclContext(this.context, this.state);
        this.enterRule(localContext, 8, BertIRParser.RULE_constDecl);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 84;
            this.match(BertIRParser.T__5);
            this.state = 85;
            this.match(BertIRParser.ID);
            this.state = 86;
            this.match(BertIRParser.T__4);
            this.state = 87;
            this.expr(0);
            this.state = 88;
            this.match(BertIRParser.T__6);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public assertStmt(): AssertStmtContext {
        let localContext = new AssertStmtContext(this.context, this.state);
        this.enterRule(localContext, 10, BertIRParser.RULE_assertStmt);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 90;
            this.match(BertIRParser.T__7);
            this.state = 91;
            this.expr(0);
            this.state = 94;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 3) {
                {
                this.state = 92;
                this.match(BertIRParser.T__2);
                this.state = 93;
                this.match(BertIRParser.STRING);
                }
            }

            this.state = 96;
            this.match(BertIRParser.T__6);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public layerDecl(): LayerDeclContext {
        let localContext = new LayerDeclContext(this.context, this.state);
        this.enterRule(localContext, 12, BertIRParser.RULE_layerDecl);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 98;
            localContext._kind = this.tokenStream.LT(1);
            _la = this.tokenStream.LA(1);
            if(!(_la === 9 || _la === 10)) {
                localContext._kind = this.errorHandler.recoverInline(this);
            }
            else {
                this.errorHandler.reportMatch(this);
                this.consume();
            }
            this.state = 99;
            localContext._name = this.match(BertIRParser.ID);
            this.state = 101;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 14) {
                {
                this.state = 100;
                this.dimParams();
                }
            }

            this.state = 103;
            this.match(BertIRParser.T__10);
            this.state = 112;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 40) {
                {
                this.state = 104;
                this.input();
                this.state = 109;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 105;
                    this.match(BertIRParser.T__2);
                    this.state = 106;
                    this.input();
                    }
                    }
                    this.state = 111;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                }
            }

            this.state = 114;
            this.match(BertIRParser.T__11);
            this.state = 115;
            this.match(BertIRParser.T__12);
            this.state = 116;
            this.results();
            this.state = 117;
            this.block();
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public dimParams(): DimParamsContext {
        let localContext = new DimParamsContext(this.context, this.state);
        this.enterRule(localContext, 14, BertIRParser.RULE_dimParams);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 119;
            this.match(BertIRParser.T__13);
            this.state = 120;
            this.match(BertIRParser.ID);
            this.state = 125;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while (_la === 3) {
                {
                {
                this.state = 121;
                this.match(BertIRParser.T__2);
                this.state = 122;
                this.match(BertIRParser.ID);
                }
                }
                this.state = 127;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 128;
            this.match(BertIRParser.T__14);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public input(): InputContext {
        let localContext = new InputContext(this.context, this.state);
        this.enterRule(localContext, 16, BertIRParser.RULE_input);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 130;
            this.match(BertIRParser.ID);
            this.state = 131;
            this.match(BertIRParser.T__15);
            this.state = 132;
            this.tensorType();
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public results(): ResultsContext {
        let localContext = new ResultsContext(this.context, this.state);
        this.enterRule(localContext, 18, BertIRParser.RULE_results);
        let _la: number;
        try {
            this.state = 146;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.ID:
                localContext = new SingleResultContext(localContext);
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 134;
                this.tensorType();
                }
                break;
            case BertIRParser.T__10:
                localContext = new NamedResultsContext(localContext);
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 135;
                this.match(BertIRParser.T__10);
                this.state = 136;
                this.namedResult();
                this.state = 141;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 137;
                    this.match(BertIRParser.T__2);
                    this.state = 138;
                    this.namedResult();
                    }
                    }
                    this.state = 143;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                this.state = 144;
                this.match(BertIRParser.T__11);
                }
                break;
            default:
                throw new antlr.NoViableAltException(this);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public namedResult(): NamedResultContext {
        let localContext = new NamedResultContext(this.context, this.state);
        this.enterRule(localContext, 20, BertIRParser.RULE_namedResult);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 148;
            this.match(BertIRParser.ID);
            this.state = 149;
            this.match(BertIRParser.T__15);
            this.state = 150;
            this.tensorType();
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public tensorType(): TensorTypeContext {
        let localContext = new TensorTypeContext(this.context, this.state);
        this.enterRule(localContext, 22, BertIRParser.RULE_tensorType);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 152;
            localContext._dtype = this.match(BertIRParser.ID);
            this.state = 153;
            this.match(BertIRParser.T__16);
            this.state = 162;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (((((_la - 11)) & ~0x1F) === 0 && ((1 << (_la - 11)) & 1879146561) !== 0)) {
                {
                this.state = 154;
                this.expr(0);
                this.state = 159;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 155;
                    this.match(BertIRParser.T__2);
                    this.state = 156;
                    this.expr(0);
                    }
                    }
                    this.state = 161;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                }
            }

            this.state = 164;
            this.match(BertIRParser.T__17);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public block(): BlockContext {
        let localContext = new BlockContext(this.context, this.state);
        this.enterRule(localContext, 24, BertIRParser.RULE_block);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 166;
            this.match(BertIRParser.T__1);
            this.state = 170;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while ((((_la) & ~0x1F) === 0 && ((1 << _la) & 60293376) !== 0) || _la === 40) {
                {
                {
                this.state = 167;
                this.stmt();
                }
                }
                this.state = 172;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 173;
            this.match(BertIRParser.T__3);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public stmt(): StmtContext {
        let localContext = new StmtContext(this.context, this.state);
        this.enterRule(localContext, 26, BertIRParser.RULE_stmt);
        try {
            this.state = 182;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.T__18:
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 175;
                this.paramDecl();
                }
                break;
            case BertIRParser.ID:
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 176;
                this.letStmt();
                }
                break;
            case BertIRParser.T__19:
                this.enterOuterAlt(localContext, 3);
                {
                this.state = 177;
                this.forStmt();
                }
                break;
            case BertIRParser.T__22:
                this.enterOuterAlt(localContext, 4);
                {
                this.state = 178;
                this.tapStmt();
                }
                break;
            case BertIRParser.T__7:
                this.enterOuterAlt(localContext, 5);
                {
                this.state = 179;
                this.assertStmt();
                }
                break;
            case BertIRParser.T__23:
                this.enterOuterAlt(localContext, 6);
                {
                this.state = 180;
                this.returnStmt();
                }
                break;
            case BertIRParser.T__24:
                this.enterOuterAlt(localContext, 7);
                {
                this.state = 181;
                this.kernelStmt();
                }
                break;
            default:
                throw new antlr.NoViableAltException(this);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public paramDecl(): ParamDeclContext {
        let localContext = new ParamDeclContext(this.context, this.state);
        this.enterRule(localContext, 28, BertIRParser.RULE_paramDecl);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 184;
            this.match(BertIRParser.T__18);
            this.state = 185;
            this.match(BertIRParser.ID);
            this.state = 186;
            this.match(BertIRParser.T__15);
            this.state = 187;
            this.tensorType();
            this.state = 190;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 5) {
                {
                this.state = 188;
                this.match(BertIRParser.T__4);
                this.state = 189;
                this.match(BertIRParser.STRING);
                }
            }

            this.state = 192;
            this.match(BertIRParser.T__6);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public letStmt(): LetStmtContext {
        let localContext = new LetStmtContext(this.context, this.state);
        this.enterRule(localContext, 30, BertIRParser.RULE_letStmt);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 194;
            this.match(BertIRParser.ID);
            this.state = 197;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 16) {
                {
                this.state = 195;
                this.match(BertIRParser.T__15);
                this.state = 196;
                this.tensorType();
                }
            }

            this.state = 199;
            this.match(BertIRParser.T__4);
            this.state = 200;
            this.expr(0);
            this.state = 201;
            this.match(BertIRParser.T__6);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public forStmt(): ForStmtContext {
        let localContext = new ForStmtContext(this.context, this.state);
        this.enterRule(localContext, 32, BertIRParser.RULE_forStmt);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 203;
            this.match(BertIRParser.T__19);
            this.state = 204;
            this.match(BertIRParser.ID);
            this.state = 205;
            this.match(BertIRParser.T__20);
            this.state = 206;
            this.expr(0);
            this.state = 207;
            this.match(BertIRParser.T__21);
            this.state = 208;
            this.expr(0);
            this.state = 209;
            this.block();
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public tapStmt(): TapStmtContext {
        let localContext = new TapStmtContext(this.context, this.state);
        this.enterRule(localContext, 34, BertIRParser.RULE_tapStmt);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 211;
            this.match(BertIRParser.T__22);
            this.state = 212;
            this.match(BertIRParser.STRING);
            this.state = 213;
            this.match(BertIRParser.T__4);
            this.state = 214;
            this.expr(0);
            this.state = 215;
            this.match(BertIRParser.T__6);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public returnStmt(): ReturnStmtContext {
        let localContext = new ReturnStmtContext(this.context, this.state);
        this.enterRule(localContext, 36, BertIRParser.RULE_returnStmt);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 217;
            this.match(BertIRParser.T__23);
            this.state = 218;
            this.expr(0);
            this.state = 223;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while (_la === 3) {
                {
                {
                this.state = 219;
                this.match(BertIRParser.T__2);
                this.state = 220;
                this.expr(0);
                }
                }
                this.state = 225;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 226;
            this.match(BertIRParser.T__6);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public kernelStmt(): KernelStmtContext {
        let localContext = new KernelStmtContext(this.context, this.state);
        this.enterRule(localContext, 38, BertIRParser.RULE_kernelStmt);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 228;
            this.match(BertIRParser.T__24);
            this.state = 229;
            this.match(BertIRParser.ID);
            this.state = 230;
            this.block();
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }

    public expr(): ExprContext;
    public expr(_p: number): ExprContext;
    public expr(_p?: number): ExprContext {
        if (_p === undefined) {
            _p = 0;
        }

        let parentContext = this.context;
        let parentState = this.state;
        let localContext = new ExprContext(this.context, parentState);
        let previousContext = localContext;
        let _startState = 40;
        this.enterRecursionRule(localContext, 40, BertIRParser.RULE_expr, _p);
        let _la: number;
        try {
            let alternative: number;
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 236;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.T__10:
            case BertIRParser.T__16:
            case BertIRParser.NUMBER:
            case BertIRParser.ID:
            case BertIRParser.STRING:
                {
                localContext = new PrimaryExprContext(localContext);
                this.context = localContext;
                previousContext = localContext;

                this.state = 233;
                this.primary();
                }
                break;
            case BertIRParser.T__25:
            case BertIRParser.T__26:
                {
                localContext = new UnaryExprContext(localContext);
                this.context = localContext;
                previousContext = localContext;
                this.state = 234;
                (localContext as UnaryExprContext)._op = this.tokenStream.LT(1);
                _la = this.tokenStream.LA(1);
                if(!(_la === 26 || _la === 27)) {
                    (localContext as UnaryExprContext)._op = this.errorHandler.recoverInline(this);
                }
                else {
                    this.errorHandler.reportMatch(this);
                    this.consume();
                }
                this.state = 235;
                this.expr(7);
                }
                break;
            default:
                throw new antlr.NoViableAltException(this);
            }
            this.context!.stop = this.tokenStream.LT(-1);
            this.state = 258;
            this.errorHandler.sync(this);
            alternative = this.interpreter.adaptivePredict(this.tokenStream, 21, this.context);
            while (alternative !== 2 && alternative !== antlr.ATN.INVALID_ALT_NUMBER) {
                if (alternative === 1) {
                    if (this.parseListeners != null) {
                        this.triggerExitRuleEvent();
                    }
                    previousContext = localContext;
                    {
                    this.state = 256;
                    this.errorHandler.sync(this);
                    switch (this.interpreter.adaptivePredict(this.tokenStream, 20, this.context) ) {
                    case 1:
                        {
                        localContext = new MulExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 238;
                        if (!(this.precpred(this.context, 6))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 6)");
                        }
                        this.state = 239;
                        (localContext as MulExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!((((_la) & ~0x1F) === 0 && ((1 << _la) & 1879048192) !== 0))) {
                            (localContext as MulExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 240;
                        this.expr(7);
                        }
                        break;
                    case 2:
                        {
                        localContext = new AddExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 241;
                        if (!(this.precpred(this.context, 5))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 5)");
                        }
                        this.state = 242;
                        (localContext as AddExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!(_la === 26 || _la === 31)) {
                            (localContext as AddExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 243;
                        this.expr(6);
                        }
                        break;
                    case 3:
                        {
                        localContext = new RelExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 244;
                        if (!(this.precpred(this.context, 4))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 4)");
                        }
                        this.state = 245;
                        (localContext as RelExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!(((((_la - 14)) & ~0x1F) === 0 && ((1 << (_la - 14)) & 786435) !== 0))) {
                            (localContext as RelExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 246;
                        this.expr(5);
                        }
                        break;
                    case 4:
                        {
                        localContext = new EqExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 247;
                        if (!(this.precpred(this.context, 3))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 3)");
                        }
                        this.state = 248;
                        (localContext as EqExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!(_la === 34 || _la === 35)) {
                            (localContext as EqExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 249;
                        this.expr(4);
                        }
                        break;
                    case 5:
                        {
                        localContext = new AndExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 250;
                        if (!(this.precpred(this.context, 2))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 2)");
                        }
                        this.state = 251;
                        this.match(BertIRParser.T__35);
                        this.state = 252;
                        this.expr(3);
                        }
                        break;
                    case 6:
                        {
                        localContext = new OrExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 253;
                        if (!(this.precpred(this.context, 1))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 1)");
                        }
                        this.state = 254;
                        this.match(BertIRParser.T__36);
                        this.state = 255;
                        this.expr(2);
                        }
                        break;
                    }
                    }
                }
                this.state = 260;
                this.errorHandler.sync(this);
                alternative = this.interpreter.adaptivePredict(this.tokenStream, 21, this.context);
            }
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.unrollRecursionContexts(parentContext);
        }
        return localContext;
    }
    public primary(): PrimaryContext {
        let localContext = new PrimaryContext(this.context, this.state);
        this.enterRule(localContext, 42, BertIRParser.RULE_primary);
        let _la: number;
        try {
            this.state = 281;
            this.errorHandler.sync(this);
            switch (this.interpreter.adaptivePredict(this.tokenStream, 24, this.context) ) {
            case 1:
                localContext = new NumberLitContext(localContext);
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 261;
                this.match(BertIRParser.NUMBER);
                }
                break;
            case 2:
                localContext = new StringLitContext(localContext);
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 262;
                this.match(BertIRParser.STRING);
                }
                break;
            case 3:
                localContext = new CallExprContext(localContext);
                this.enterOuterAlt(localContext, 3);
                {
                this.state = 263;
                this.call();
                }
                break;
            case 4:
                localContext = new NameRefContext(localContext);
                this.enterOuterAlt(localContext, 4);
                {
                this.state = 264;
                this.match(BertIRParser.ID);
                }
                break;
            case 5:
                localContext = new ListLitContext(localContext);
                this.enterOuterAlt(localContext, 5);
                {
                this.state = 265;
                this.match(BertIRParser.T__16);
                this.state = 274;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                if (((((_la - 11)) & ~0x1F) === 0 && ((1 << (_la - 11)) & 1879146561) !== 0)) {
                    {
                    this.state = 266;
                    this.expr(0);
                    this.state = 271;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                    while (_la === 3) {
                        {
                        {
                        this.state = 267;
                        this.match(BertIRParser.T__2);
                        this.state = 268;
                        this.expr(0);
                        }
                        }
                        this.state = 273;
                        this.errorHandler.sync(this);
                        _la = this.tokenStream.LA(1);
                    }
                    }
                }

                this.state = 276;
                this.match(BertIRParser.T__17);
                }
                break;
            case 6:
                localContext = new ParenExprContext(localContext);
                this.enterOuterAlt(localContext, 6);
                {
                this.state = 277;
                this.match(BertIRParser.T__10);
                this.state = 278;
                this.expr(0);
                this.state = 279;
                this.match(BertIRParser.T__11);
                }
                break;
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public call(): CallContext {
        let localContext = new CallContext(this.context, this.state);
        this.enterRule(localContext, 44, BertIRParser.RULE_call);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 283;
            localContext._callee = this.match(BertIRParser.ID);
            this.state = 284;
            this.match(BertIRParser.T__10);
            this.state = 293;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (((((_la - 11)) & ~0x1F) === 0 && ((1 << (_la - 11)) & 1879146561) !== 0)) {
                {
                this.state = 285;
                this.arg();
                this.state = 290;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 286;
                    this.match(BertIRParser.T__2);
                    this.state = 287;
                    this.arg();
                    }
                    }
                    this.state = 292;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                }
            }

            this.state = 295;
            this.match(BertIRParser.T__11);
            this.state = 298;
            this.errorHandler.sync(this);
            switch (this.interpreter.adaptivePredict(this.tokenStream, 27, this.context) ) {
            case 1:
                {
                this.state = 296;
                this.match(BertIRParser.T__37);
                this.state = 297;
                localContext._scope = this.match(BertIRParser.STRING);
                }
                break;
            }
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }
    public arg(): ArgContext {
        let localContext = new ArgContext(this.context, this.state);
        this.enterRule(localContext, 46, BertIRParser.RULE_arg);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 302;
            this.errorHandler.sync(this);
            switch (this.interpreter.adaptivePredict(this.tokenStream, 28, this.context) ) {
            case 1:
                {
                this.state = 300;
                this.match(BertIRParser.ID);
                this.state = 301;
                this.match(BertIRParser.T__4);
                }
                break;
            }
            this.state = 304;
            this.expr(0);
            }
        }
        catch (re) {
            if (re instanceof antlr.RecognitionException) {
                this.errorHandler.reportError(this, re);
                this.errorHandler.recover(this, re);
            } else {
                throw re;
            }
        }
        finally {
            this.exitRule();
        }
        return localContext;
    }

    public override sempred(localContext: antlr.ParserRuleContext | null, ruleIndex: number, predIndex: number): boolean {
        switch (ruleIndex) {
        case 20:
            return this.expr_sempred(localContext as ExprContext, predIndex);
        }
        return true;
    }
    private expr_sempred(localContext: ExprContext | null, predIndex: number): boolean {
        switch (predIndex) {
        case 0:
            return this.precpred(this.context, 6);
        case 1:
            return this.precpred(this.context, 5);
        case 2:
            return this.precpred(this.context, 4);
        case 3:
            return this.precpred(this.context, 3);
        case 4:
            return this.precpred(this.context, 2);
        case 5:
            return this.precpred(this.context, 1);
        }
        return true;
    }

    public static readonly _serializedATN: number[] = [
        4,1,45,307,2,0,7,0,2,1,7,1,2,2,7,2,2,3,7,3,2,4,7,4,2,5,7,5,2,6,7,
        6,2,7,7,7,2,8,7,8,2,9,7,9,2,10,7,10,2,11,7,11,2,12,7,12,2,13,7,13,
        2,14,7,14,2,15,7,15,2,16,7,16,2,17,7,17,2,18,7,18,2,19,7,19,2,20,
        7,20,2,21,7,21,2,22,7,22,2,23,7,23,1,0,5,0,50,8,0,10,0,12,0,53,9,
        0,1,0,1,0,1,1,1,1,1,1,1,1,3,1,61,8,1,1,2,1,2,1,2,1,2,1,2,1,2,5,2,
        69,8,2,10,2,12,2,72,9,2,1,2,3,2,75,8,2,3,2,77,8,2,1,2,1,2,1,3,1,
        3,1,3,1,3,1,4,1,4,1,4,1,4,1,4,1,4,1,5,1,5,1,5,1,5,3,5,95,8,5,1,5,
        1,5,1,6,1,6,1,6,3,6,102,8,6,1,6,1,6,1,6,1,6,5,6,108,8,6,10,6,12,
        6,111,9,6,3,6,113,8,6,1,6,1,6,1,6,1,6,1,6,1,7,1,7,1,7,1,7,5,7,124,
        8,7,10,7,12,7,127,9,7,1,7,1,7,1,8,1,8,1,8,1,8,1,9,1,9,1,9,1,9,1,
        9,5,9,140,8,9,10,9,12,9,143,9,9,1,9,1,9,3,9,147,8,9,1,10,1,10,1,
        10,1,10,1,11,1,11,1,11,1,11,1,11,5,11,158,8,11,10,11,12,11,161,9,
        11,3,11,163,8,11,1,11,1,11,1,12,1,12,5,12,169,8,12,10,12,12,12,172,
        9,12,1,12,1,12,1,13,1,13,1,13,1,13,1,13,1,13,1,13,3,13,183,8,13,
        1,14,1,14,1,14,1,14,1,14,1,14,3,14,191,8,14,1,14,1,14,1,15,1,15,
        1,15,3,15,198,8,15,1,15,1,15,1,15,1,15,1,16,1,16,1,16,1,16,1,16,
        1,16,1,16,1,16,1,17,1,17,1,17,1,17,1,17,1,17,1,18,1,18,1,18,1,18,
        5,18,222,8,18,10,18,12,18,225,9,18,1,18,1,18,1,19,1,19,1,19,1,19,
        1,20,1,20,1,20,1,20,3,20,237,8,20,1,20,1,20,1,20,1,20,1,20,1,20,
        1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,5,20,
        257,8,20,10,20,12,20,260,9,20,1,21,1,21,1,21,1,21,1,21,1,21,1,21,
        1,21,5,21,270,8,21,10,21,12,21,273,9,21,3,21,275,8,21,1,21,1,21,
        1,21,1,21,1,21,3,21,282,8,21,1,22,1,22,1,22,1,22,1,22,5,22,289,8,
        22,10,22,12,22,292,9,22,3,22,294,8,22,1,22,1,22,1,22,3,22,299,8,
        22,1,23,1,23,3,23,303,8,23,1,23,1,23,1,23,0,1,40,24,0,2,4,6,8,10,
        12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,0,6,1,0,9,
        10,1,0,26,27,1,0,28,30,2,0,26,26,31,31,2,0,14,15,32,33,1,0,34,35,
        326,0,51,1,0,0,0,2,60,1,0,0,0,4,62,1,0,0,0,6,80,1,0,0,0,8,84,1,0,
        0,0,10,90,1,0,0,0,12,98,1,0,0,0,14,119,1,0,0,0,16,130,1,0,0,0,18,
        146,1,0,0,0,20,148,1,0,0,0,22,152,1,0,0,0,24,166,1,0,0,0,26,182,
        1,0,0,0,28,184,1,0,0,0,30,194,1,0,0,0,32,203,1,0,0,0,34,211,1,0,
        0,0,36,217,1,0,0,0,38,228,1,0,0,0,40,236,1,0,0,0,42,281,1,0,0,0,
        44,283,1,0,0,0,46,302,1,0,0,0,48,50,3,2,1,0,49,48,1,0,0,0,50,53,
        1,0,0,0,51,49,1,0,0,0,51,52,1,0,0,0,52,54,1,0,0,0,53,51,1,0,0,0,
        54,55,5,0,0,1,55,1,1,0,0,0,56,61,3,4,2,0,57,61,3,8,4,0,58,61,3,10,
        5,0,59,61,3,12,6,0,60,56,1,0,0,0,60,57,1,0,0,0,60,58,1,0,0,0,60,
        59,1,0,0,0,61,3,1,0,0,0,62,63,5,1,0,0,63,64,5,40,0,0,64,76,5,2,0,
        0,65,70,3,6,3,0,66,67,5,3,0,0,67,69,3,6,3,0,68,66,1,0,0,0,69,72,
        1,0,0,0,70,68,1,0,0,0,70,71,1,0,0,0,71,74,1,0,0,0,72,70,1,0,0,0,
        73,75,5,3,0,0,74,73,1,0,0,0,74,75,1,0,0,0,75,77,1,0,0,0,76,65,1,
        0,0,0,76,77,1,0,0,0,77,78,1,0,0,0,78,79,5,4,0,0,79,5,1,0,0,0,80,
        81,5,40,0,0,81,82,5,5,0,0,82,83,3,40,20,0,83,7,1,0,0,0,84,85,5,6,
        0,0,85,86,5,40,0,0,86,87,5,5,0,0,87,88,3,40,20,0,88,89,5,7,0,0,89,
        9,1,0,0,0,90,91,5,8,0,0,91,94,3,40,20,0,92,93,5,3,0,0,93,95,5,41,
        0,0,94,92,1,0,0,0,94,95,1,0,0,0,95,96,1,0,0,0,96,97,5,7,0,0,97,11,
        1,0,0,0,98,99,7,0,0,0,99,101,5,40,0,0,100,102,3,14,7,0,101,100,1,
        0,0,0,101,102,1,0,0,0,102,103,1,0,0,0,103,112,5,11,0,0,104,109,3,
        16,8,0,105,106,5,3,0,0,106,108,3,16,8,0,107,105,1,0,0,0,108,111,
        1,0,0,0,109,107,1,0,0,0,109,110,1,0,0,0,110,113,1,0,0,0,111,109,
        1,0,0,0,112,104,1,0,0,0,112,113,1,0,0,0,113,114,1,0,0,0,114,115,
        5,12,0,0,115,116,5,13,0,0,116,117,3,18,9,0,117,118,3,24,12,0,118,
        13,1,0,0,0,119,120,5,14,0,0,120,125,5,40,0,0,121,122,5,3,0,0,122,
        124,5,40,0,0,123,121,1,0,0,0,124,127,1,0,0,0,125,123,1,0,0,0,125,
        126,1,0,0,0,126,128,1,0,0,0,127,125,1,0,0,0,128,129,5,15,0,0,129,
        15,1,0,0,0,130,131,5,40,0,0,131,132,5,16,0,0,132,133,3,22,11,0,133,
        17,1,0,0,0,134,147,3,22,11,0,135,136,5,11,0,0,136,141,3,20,10,0,
        137,138,5,3,0,0,138,140,3,20,10,0,139,137,1,0,0,0,140,143,1,0,0,
        0,141,139,1,0,0,0,141,142,1,0,0,0,142,144,1,0,0,0,143,141,1,0,0,
        0,144,145,5,12,0,0,145,147,1,0,0,0,146,134,1,0,0,0,146,135,1,0,0,
        0,147,19,1,0,0,0,148,149,5,40,0,0,149,150,5,16,0,0,150,151,3,22,
        11,0,151,21,1,0,0,0,152,153,5,40,0,0,153,162,5,17,0,0,154,159,3,
        40,20,0,155,156,5,3,0,0,156,158,3,40,20,0,157,155,1,0,0,0,158,161,
        1,0,0,0,159,157,1,0,0,0,159,160,1,0,0,0,160,163,1,0,0,0,161,159,
        1,0,0,0,162,154,1,0,0,0,162,163,1,0,0,0,163,164,1,0,0,0,164,165,
        5,18,0,0,165,23,1,0,0,0,166,170,5,2,0,0,167,169,3,26,13,0,168,167,
        1,0,0,0,169,172,1,0,0,0,170,168,1,0,0,0,170,171,1,0,0,0,171,173,
        1,0,0,0,172,170,1,0,0,0,173,174,5,4,0,0,174,25,1,0,0,0,175,183,3,
        28,14,0,176,183,3,30,15,0,177,183,3,32,16,0,178,183,3,34,17,0,179,
        183,3,10,5,0,180,183,3,36,18,0,181,183,3,38,19,0,182,175,1,0,0,0,
        182,176,1,0,0,0,182,177,1,0,0,0,182,178,1,0,0,0,182,179,1,0,0,0,
        182,180,1,0,0,0,182,181,1,0,0,0,183,27,1,0,0,0,184,185,5,19,0,0,
        185,186,5,40,0,0,186,187,5,16,0,0,187,190,3,22,11,0,188,189,5,5,
        0,0,189,191,5,41,0,0,190,188,1,0,0,0,190,191,1,0,0,0,191,192,1,0,
        0,0,192,193,5,7,0,0,193,29,1,0,0,0,194,197,5,40,0,0,195,196,5,16,
        0,0,196,198,3,22,11,0,197,195,1,0,0,0,197,198,1,0,0,0,198,199,1,
        0,0,0,199,200,5,5,0,0,200,201,3,40,20,0,201,202,5,7,0,0,202,31,1,
        0,0,0,203,204,5,20,0,0,204,205,5,40,0,0,205,206,5,21,0,0,206,207,
        3,40,20,0,207,208,5,22,0,0,208,209,3,40,20,0,209,210,3,24,12,0,210,
        33,1,0,0,0,211,212,5,23,0,0,212,213,5,41,0,0,213,214,5,5,0,0,214,
        215,3,40,20,0,215,216,5,7,0,0,216,35,1,0,0,0,217,218,5,24,0,0,218,
        223,3,40,20,0,219,220,5,3,0,0,220,222,3,40,20,0,221,219,1,0,0,0,
        222,225,1,0,0,0,223,221,1,0,0,0,223,224,1,0,0,0,224,226,1,0,0,0,
        225,223,1,0,0,0,226,227,5,7,0,0,227,37,1,0,0,0,228,229,5,25,0,0,
        229,230,5,40,0,0,230,231,3,24,12,0,231,39,1,0,0,0,232,233,6,20,-1,
        0,233,237,3,42,21,0,234,235,7,1,0,0,235,237,3,40,20,7,236,232,1,
        0,0,0,236,234,1,0,0,0,237,258,1,0,0,0,238,239,10,6,0,0,239,240,7,
        2,0,0,240,257,3,40,20,7,241,242,10,5,0,0,242,243,7,3,0,0,243,257,
        3,40,20,6,244,245,10,4,0,0,245,246,7,4,0,0,246,257,3,40,20,5,247,
        248,10,3,0,0,248,249,7,5,0,0,249,257,3,40,20,4,250,251,10,2,0,0,
        251,252,5,36,0,0,252,257,3,40,20,3,253,254,10,1,0,0,254,255,5,37,
        0,0,255,257,3,40,20,2,256,238,1,0,0,0,256,241,1,0,0,0,256,244,1,
        0,0,0,256,247,1,0,0,0,256,250,1,0,0,0,256,253,1,0,0,0,257,260,1,
        0,0,0,258,256,1,0,0,0,258,259,1,0,0,0,259,41,1,0,0,0,260,258,1,0,
        0,0,261,282,5,39,0,0,262,282,5,41,0,0,263,282,3,44,22,0,264,282,
        5,40,0,0,265,274,5,17,0,0,266,271,3,40,20,0,267,268,5,3,0,0,268,
        270,3,40,20,0,269,267,1,0,0,0,270,273,1,0,0,0,271,269,1,0,0,0,271,
        272,1,0,0,0,272,275,1,0,0,0,273,271,1,0,0,0,274,266,1,0,0,0,274,
        275,1,0,0,0,275,276,1,0,0,0,276,282,5,18,0,0,277,278,5,11,0,0,278,
        279,3,40,20,0,279,280,5,12,0,0,280,282,1,0,0,0,281,261,1,0,0,0,281,
        262,1,0,0,0,281,263,1,0,0,0,281,264,1,0,0,0,281,265,1,0,0,0,281,
        277,1,0,0,0,282,43,1,0,0,0,283,284,5,40,0,0,284,293,5,11,0,0,285,
        290,3,46,23,0,286,287,5,3,0,0,287,289,3,46,23,0,288,286,1,0,0,0,
        289,292,1,0,0,0,290,288,1,0,0,0,290,291,1,0,0,0,291,294,1,0,0,0,
        292,290,1,0,0,0,293,285,1,0,0,0,293,294,1,0,0,0,294,295,1,0,0,0,
        295,298,5,12,0,0,296,297,5,38,0,0,297,299,5,41,0,0,298,296,1,0,0,
        0,298,299,1,0,0,0,299,45,1,0,0,0,300,301,5,40,0,0,301,303,5,5,0,
        0,302,300,1,0,0,0,302,303,1,0,0,0,303,304,1,0,0,0,304,305,3,40,20,
        0,305,47,1,0,0,0,29,51,60,70,74,76,94,101,109,112,125,141,146,159,
        162,170,182,190,197,223,236,256,258,271,274,281,290,293,298,302
    ];

    private static __ATN: antlr.ATN;
    public static get _ATN(): antlr.ATN {
        if (!BertIRParser.__ATN) {
            BertIRParser.__ATN = new antlr.ATNDeserializer().deserialize(BertIRParser._serializedATN);
        }

        return BertIRParser.__ATN;
    }


    private static readonly vocabulary = new antlr.Vocabulary(BertIRParser.literalNames, BertIRParser.symbolicNames, []);

    public override get vocabulary(): antlr.Vocabulary {
        return BertIRParser.vocabulary;
    }

    private static readonly decisionsToDFA = BertIRParser._ATN.decisionToState.map( (ds: antlr.DecisionState, index: number) => new antlr.DFA(ds, index) );
}

export class ProgramContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public EOF(): antlr.TerminalNode {
        return this.getToken(BertIRParser.EOF, 0)!;
    }
    public item(): ItemContext[];
    public item(i: number): ItemContext | null;
    public item(i?: number): ItemContext[] | ItemContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ItemContext);
        }

        return this.getRuleContext(i, ItemContext);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_program;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitProgram) {
            return visitor.visitProgram(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ItemContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public configDecl(): ConfigDeclContext | null {
        return this.getRuleContext(0, ConfigDeclContext);
    }
    public constDecl(): ConstDeclContext | null {
        return this.getRuleContext(0, ConstDeclContext);
    }
    public assertStmt(): AssertStmtContext | null {
        return this.getRuleContext(0, AssertStmtContext);
    }
    public layerDecl(): LayerDeclContext | null {
        return this.getRuleContext(0, LayerDeclContext);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_item;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitItem) {
            return visitor.visitItem(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ConfigDeclContext extends antlr.ParserRuleContext {
    public _name?: Token | null;
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public configEntry(): ConfigEntryContext[];
    public configEntry(i: number): ConfigEntryContext | null;
    public configEntry(i?: number): ConfigEntryContext[] | ConfigEntryContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ConfigEntryContext);
        }

        return this.getRuleContext(i, ConfigEntryContext);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_configDecl;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitConfigDecl) {
            return visitor.visitConfigDecl(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ConfigEntryContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public expr(): ExprContext {
        return this.getRuleContext(0, ExprContext)!;
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_configEntry;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitConfigEntry) {
            return visitor.visitConfigEntry(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ConstDeclContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public expr(): ExprContext {
        return this.getRuleContext(0, ExprContext)!;
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_constDecl;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitConstDecl) {
            return visitor.visitConstDecl(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class AssertStmtContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public expr(): ExprContext {
        return this.getRuleContext(0, ExprContext)!;
    }
    public STRING(): antlr.TerminalNode | null {
        return this.getToken(BertIRParser.STRING, 0);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_assertStmt;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitAssertStmt) {
            return visitor.visitAssertStmt(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class LayerDeclContext extends antlr.ParserRuleContext {
    public _kind?: Token | null;
    public _name?: Token | null;
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public results(): ResultsContext {
        return this.getRuleContext(0, ResultsContext)!;
    }
    public block(): BlockContext {
        return this.getRuleContext(0, BlockContext)!;
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public dimParams(): DimParamsContext | null {
        return this.getRuleContext(0, DimParamsContext);
    }
    public input(): InputContext[];
    public input(i: number): InputContext | null;
    public input(i?: number): InputContext[] | InputContext | null {
        if (i === undefined) {
            return this.getRuleContexts(InputContext);
        }

        return this.getRuleContext(i, InputContext);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_layerDecl;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitLayerDecl) {
            return visitor.visitLayerDecl(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class DimParamsContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode[];
    public ID(i: number): antlr.TerminalNode | null;
    public ID(i?: number): antlr.TerminalNode | null | antlr.TerminalNode[] {
    	if (i === undefined) {
    		return this.getTokens(BertIRParser.ID);
    	} else {
    		return this.getToken(BertIRParser.ID, i);
    	}
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_dimParams;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitDimParams) {
            return visitor.visitDimParams(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class InputContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public tensorType(): TensorTypeContext {
        return this.getRuleContext(0, TensorTypeContext)!;
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_input;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitInput) {
            return visitor.visitInput(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ResultsContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_results;
    }
    public override copyFrom(ctx: ResultsContext): void {
        super.copyFrom(ctx);
    }
}
export class SingleResultContext extends ResultsContext {
    public constructor(ctx: ResultsContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public tensorType(): TensorTypeContext {
        return this.getRuleContext(0, TensorTypeContext)!;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitSingleResult) {
            return visitor.visitSingleResult(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class NamedResultsContext extends ResultsContext {
    public constructor(ctx: ResultsContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public namedResult(): NamedResultContext[];
    public namedResult(i: number): NamedResultContext | null;
    public namedResult(i?: number): NamedResultContext[] | NamedResultContext | null {
        if (i === undefined) {
            return this.getRuleContexts(NamedResultContext);
        }

        return this.getRuleContext(i, NamedResultContext);
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitNamedResults) {
            return visitor.visitNamedResults(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class NamedResultContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public tensorType(): TensorTypeContext {
        return this.getRuleContext(0, TensorTypeContext)!;
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_namedResult;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitNamedResult) {
            return visitor.visitNamedResult(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class TensorTypeContext extends antlr.ParserRuleContext {
    public _dtype?: Token | null;
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_tensorType;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitTensorType) {
            return visitor.visitTensorType(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class BlockContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public stmt(): StmtContext[];
    public stmt(i: number): StmtContext | null;
    public stmt(i?: number): StmtContext[] | StmtContext | null {
        if (i === undefined) {
            return this.getRuleContexts(StmtContext);
        }

        return this.getRuleContext(i, StmtContext);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_block;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitBlock) {
            return visitor.visitBlock(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class StmtContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public paramDecl(): ParamDeclContext | null {
        return this.getRuleContext(0, ParamDeclContext);
    }
    public letStmt(): LetStmtContext | null {
        return this.getRuleContext(0, LetStmtContext);
    }
    public forStmt(): ForStmtContext | null {
        return this.getRuleContext(0, ForStmtContext);
    }
    public tapStmt(): TapStmtContext | null {
        return this.getRuleContext(0, TapStmtContext);
    }
    public assertStmt(): AssertStmtContext | null {
        return this.getRuleContext(0, AssertStmtContext);
    }
    public returnStmt(): ReturnStmtContext | null {
        return this.getRuleContext(0, ReturnStmtContext);
    }
    public kernelStmt(): KernelStmtContext | null {
        return this.getRuleContext(0, KernelStmtContext);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_stmt;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitStmt) {
            return visitor.visitStmt(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ParamDeclContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public tensorType(): TensorTypeContext {
        return this.getRuleContext(0, TensorTypeContext)!;
    }
    public STRING(): antlr.TerminalNode | null {
        return this.getToken(BertIRParser.STRING, 0);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_paramDecl;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitParamDecl) {
            return visitor.visitParamDecl(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class LetStmtContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public expr(): ExprContext {
        return this.getRuleContext(0, ExprContext)!;
    }
    public tensorType(): TensorTypeContext | null {
        return this.getRuleContext(0, TensorTypeContext);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_letStmt;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitLetStmt) {
            return visitor.visitLetStmt(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ForStmtContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public block(): BlockContext {
        return this.getRuleContext(0, BlockContext)!;
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_forStmt;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitForStmt) {
            return visitor.visitForStmt(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class TapStmtContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public STRING(): antlr.TerminalNode {
        return this.getToken(BertIRParser.STRING, 0)!;
    }
    public expr(): ExprContext {
        return this.getRuleContext(0, ExprContext)!;
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_tapStmt;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitTapStmt) {
            return visitor.visitTapStmt(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ReturnStmtContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_returnStmt;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitReturnStmt) {
            return visitor.visitReturnStmt(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class KernelStmtContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public block(): BlockContext {
        return this.getRuleContext(0, BlockContext)!;
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_kernelStmt;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitKernelStmt) {
            return visitor.visitKernelStmt(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ExprContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_expr;
    }
    public override copyFrom(ctx: ExprContext): void {
        super.copyFrom(ctx);
    }
}
export class PrimaryExprContext extends ExprContext {
    public constructor(ctx: ExprContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public primary(): PrimaryContext {
        return this.getRuleContext(0, PrimaryContext)!;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitPrimaryExpr) {
            return visitor.visitPrimaryExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class UnaryExprContext extends ExprContext {
    public _op?: Token | null;
    public constructor(ctx: ExprContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public expr(): ExprContext {
        return this.getRuleContext(0, ExprContext)!;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitUnaryExpr) {
            return visitor.visitUnaryExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class MulExprContext extends ExprContext {
    public _op?: Token | null;
    public constructor(ctx: ExprContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitMulExpr) {
            return visitor.visitMulExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class AddExprContext extends ExprContext {
    public _op?: Token | null;
    public constructor(ctx: ExprContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitAddExpr) {
            return visitor.visitAddExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class RelExprContext extends ExprContext {
    public _op?: Token | null;
    public constructor(ctx: ExprContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitRelExpr) {
            return visitor.visitRelExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class EqExprContext extends ExprContext {
    public _op?: Token | null;
    public constructor(ctx: ExprContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitEqExpr) {
            return visitor.visitEqExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class AndExprContext extends ExprContext {
    public constructor(ctx: ExprContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitAndExpr) {
            return visitor.visitAndExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class OrExprContext extends ExprContext {
    public constructor(ctx: ExprContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitOrExpr) {
            return visitor.visitOrExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class PrimaryContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_primary;
    }
    public override copyFrom(ctx: PrimaryContext): void {
        super.copyFrom(ctx);
    }
}
export class NumberLitContext extends PrimaryContext {
    public constructor(ctx: PrimaryContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public NUMBER(): antlr.TerminalNode {
        return this.getToken(BertIRParser.NUMBER, 0)!;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitNumberLit) {
            return visitor.visitNumberLit(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class StringLitContext extends PrimaryContext {
    public constructor(ctx: PrimaryContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public STRING(): antlr.TerminalNode {
        return this.getToken(BertIRParser.STRING, 0)!;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitStringLit) {
            return visitor.visitStringLit(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class CallExprContext extends PrimaryContext {
    public constructor(ctx: PrimaryContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public call(): CallContext {
        return this.getRuleContext(0, CallContext)!;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitCallExpr) {
            return visitor.visitCallExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class NameRefContext extends PrimaryContext {
    public constructor(ctx: PrimaryContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitNameRef) {
            return visitor.visitNameRef(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class ListLitContext extends PrimaryContext {
    public constructor(ctx: PrimaryContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitListLit) {
            return visitor.visitListLit(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
export class ParenExprContext extends PrimaryContext {
    public constructor(ctx: PrimaryContext) {
        super(ctx.parent, ctx.invokingState);
        super.copyFrom(ctx);
    }
    public expr(): ExprContext {
        return this.getRuleContext(0, ExprContext)!;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitParenExpr) {
            return visitor.visitParenExpr(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class CallContext extends antlr.ParserRuleContext {
    public _callee?: Token | null;
    public _scope?: Token | null;
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public arg(): ArgContext[];
    public arg(i: number): ArgContext | null;
    public arg(i?: number): ArgContext[] | ArgContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ArgContext);
        }

        return this.getRuleContext(i, ArgContext);
    }
    public STRING(): antlr.TerminalNode | null {
        return this.getToken(BertIRParser.STRING, 0);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_call;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitCall) {
            return visitor.visitCall(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class ArgContext extends antlr.ParserRuleContext {
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public expr(): ExprContext {
        return this.getRuleContext(0, ExprContext)!;
    }
    public ID(): antlr.TerminalNode | null {
        return this.getToken(BertIRParser.ID, 0);
    }
    public override get ruleIndex(): number {
        return BertIRParser.RULE_arg;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitArg) {
            return visitor.visitArg(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}
