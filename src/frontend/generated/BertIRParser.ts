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
    public static readonly T__38 = 39;
    public static readonly NUMBER = 40;
    public static readonly ID = 41;
    public static readonly STRING = 42;
    public static readonly LINE_COMMENT = 43;
    public static readonly BLOCK_COMMENT = 44;
    public static readonly WS = 45;
    public static readonly ERROR_CHAR = 46;
    public static readonly RULE_program = 0;
    public static readonly RULE_item = 1;
    public static readonly RULE_configDecl = 2;
    public static readonly RULE_configEntry = 3;
    public static readonly RULE_constDecl = 4;
    public static readonly RULE_assertStmt = 5;
    public static readonly RULE_layerDecl = 6;
    public static readonly RULE_dimParams = 7;
    public static readonly RULE_lossDecl = 8;
    public static readonly RULE_input = 9;
    public static readonly RULE_results = 10;
    public static readonly RULE_namedResult = 11;
    public static readonly RULE_tensorType = 12;
    public static readonly RULE_block = 13;
    public static readonly RULE_stmt = 14;
    public static readonly RULE_paramDecl = 15;
    public static readonly RULE_letStmt = 16;
    public static readonly RULE_forStmt = 17;
    public static readonly RULE_tapStmt = 18;
    public static readonly RULE_returnStmt = 19;
    public static readonly RULE_kernelStmt = 20;
    public static readonly RULE_expr = 21;
    public static readonly RULE_primary = 22;
    public static readonly RULE_call = 23;
    public static readonly RULE_arg = 24;

    public static readonly literalNames = [
        null, "'config'", "'{'", "','", "'}'", "'='", "'const'", "';'", 
        "'assert'", "'layer'", "'model'", "'('", "')'", "'->'", "'<'", "'>'", 
        "'loss'", "':'", "'in'", "'..'", "'['", "']'", "'param'", "'for'", 
        "'tap'", "'return'", "'kernel'", "'-'", "'!'", "'*'", "'/'", "'%'", 
        "'+'", "'<='", "'>='", "'=='", "'!='", "'&&'", "'||'", "'@'"
    ];

    public static readonly symbolicNames = [
        null, null, null, null, null, null, null, null, null, null, null, 
        null, null, null, null, null, null, null, null, null, null, null, 
        null, null, null, null, null, null, null, null, null, null, null, 
        null, null, null, null, null, null, null, "NUMBER", "ID", "STRING", 
        "LINE_COMMENT", "BLOCK_COMMENT", "WS", "ERROR_CHAR"
    ];
    public static readonly ruleNames = [
        "program", "item", "configDecl", "configEntry", "constDecl", "assertStmt", 
        "layerDecl", "dimParams", "lossDecl", "input", "results", "namedResult", 
        "tensorType", "block", "stmt", "paramDecl", "letStmt", "forStmt", 
        "tapStmt", "returnStmt", "kernelStmt", "expr", "primary", "call", 
        "arg",
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
            this.state = 53;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while ((((_la) & ~0x1F) === 0 && ((1 << _la) & 67394) !== 0)) {
                {
                {
                this.state = 50;
                this.item();
                }
                }
                this.state = 55;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 56;
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
            this.state = 63;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.T__0:
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 58;
                this.configDecl();
                }
                break;
            case BertIRParser.T__5:
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 59;
                this.constDecl();
                }
                break;
            case BertIRParser.T__7:
                this.enterOuterAlt(localContext, 3);
                {
                this.state = 60;
                this.assertStmt();
                }
                break;
            case BertIRParser.T__8:
            case BertIRParser.T__9:
                this.enterOuterAlt(localContext, 4);
                {
                this.state = 61;
                this.layerDecl();
                }
                break;
            case BertIRParser.T__15:
                this.enterOuterAlt(localContext, 5);
                {
                this.state = 62;
                this.lossDecl();
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
            this.state = 65;
            this.match(BertIRParser.T__0);
            this.state = 66;
            localContext._name = this.match(BertIRParser.ID);
            this.state = 67;
            this.match(BertIRParser.T__1);
            this.state = 79;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 41) {
                {
                this.state = 68;
                this.configEntry();
                this.state = 73;
                this.errorHandler.sync(this);
                alternative = this.interpreter.adaptivePredict(this.tokenStream, 2, this.context);
                while (alternative !== 2 && alternative !== antlr.ATN.INVALID_ALT_NUMBER) {
                    if (alternative === 1) {
                        {
                        {
                        this.state = 69;
                        this.match(BertIRParser.T__2);
                        this.state = 70;
                        this.configEntry();
                        }
                        }
                    }
                    this.state = 75;
                    this.errorHandler.sync(this);
                    alternative = this.interpreter.adaptivePredict(this.tokenStream, 2, this.context);
                }
                this.state = 77;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                if (_la === 3) {
                    {
                    this.state = 76;
                    this.match(BertIRParser.T__2);
                    }
                }

                }
            }

            this.state = 81;
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
            this.state = 83;
            this.match(BertIRParser.ID);
            this.state = 84;
            this.match(BertIRParser.T__4);
            this.state = 85;
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
            this.state = 87;
            this.match(BertIRParser.T__5);
            this.state = 88;
            this.match(BertIRParser.ID);
            this.state = 89;
            this.match(BertIRParser.T__4);
            this.state = 90;
            this.expr(0);
            this.state = 91;
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
            this.state = 93;
            this.match(BertIRParser.T__7);
            this.state = 94;
            this.expr(0);
            this.state = 97;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 3) {
                {
                this.state = 95;
                this.match(BertIRParser.T__2);
                this.state = 96;
                this.match(BertIRParser.STRING);
                }
            }

            this.state = 99;
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
            this.state = 101;
            localContext._kind = this.tokenStream.LT(1);
            _la = this.tokenStream.LA(1);
            if(!(_la === 9 || _la === 10)) {
                localContext._kind = this.errorHandler.recoverInline(this);
            }
            else {
                this.errorHandler.reportMatch(this);
                this.consume();
            }
            this.state = 102;
            localContext._name = this.match(BertIRParser.ID);
            this.state = 104;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 14) {
                {
                this.state = 103;
                this.dimParams();
                }
            }

            this.state = 106;
            this.match(BertIRParser.T__10);
            this.state = 115;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 41) {
                {
                this.state = 107;
                this.input();
                this.state = 112;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 108;
                    this.match(BertIRParser.T__2);
                    this.state = 109;
                    this.input();
                    }
                    }
                    this.state = 114;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                }
            }

            this.state = 117;
            this.match(BertIRParser.T__11);
            this.state = 118;
            this.match(BertIRParser.T__12);
            this.state = 119;
            this.results();
            this.state = 120;
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
            this.state = 122;
            this.match(BertIRParser.T__13);
            this.state = 123;
            this.match(BertIRParser.ID);
            this.state = 128;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while (_la === 3) {
                {
                {
                this.state = 124;
                this.match(BertIRParser.T__2);
                this.state = 125;
                this.match(BertIRParser.ID);
                }
                }
                this.state = 130;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 131;
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
    public lossDecl(): LossDeclContext {
        let localContext = new LossDeclContext(this.context, this.state);
        this.enterRule(localContext, 16, BertIRParser.RULE_lossDecl);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 133;
            this.match(BertIRParser.T__15);
            this.state = 134;
            localContext._name = this.match(BertIRParser.ID);
            this.state = 135;
            this.match(BertIRParser.T__10);
            this.state = 144;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 41) {
                {
                this.state = 136;
                this.input();
                this.state = 141;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 137;
                    this.match(BertIRParser.T__2);
                    this.state = 138;
                    this.input();
                    }
                    }
                    this.state = 143;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                }
            }

            this.state = 146;
            this.match(BertIRParser.T__11);
            this.state = 147;
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
    public input(): InputContext {
        let localContext = new InputContext(this.context, this.state);
        this.enterRule(localContext, 18, BertIRParser.RULE_input);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 149;
            this.match(BertIRParser.ID);
            this.state = 150;
            this.match(BertIRParser.T__16);
            this.state = 151;
            this.tensorType();
            this.state = 157;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 18) {
                {
                this.state = 152;
                this.match(BertIRParser.T__17);
                this.state = 153;
                localContext._lo = this.expr(0);
                this.state = 154;
                this.match(BertIRParser.T__18);
                this.state = 155;
                localContext._hi = this.expr(0);
                }
            }

            this.state = 161;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 5) {
                {
                this.state = 159;
                this.match(BertIRParser.T__4);
                this.state = 160;
                localContext._external = this.match(BertIRParser.STRING);
                }
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
    public results(): ResultsContext {
        let localContext = new ResultsContext(this.context, this.state);
        this.enterRule(localContext, 20, BertIRParser.RULE_results);
        let _la: number;
        try {
            this.state = 175;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.ID:
                localContext = new SingleResultContext(localContext);
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 163;
                this.tensorType();
                }
                break;
            case BertIRParser.T__10:
                localContext = new NamedResultsContext(localContext);
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 164;
                this.match(BertIRParser.T__10);
                this.state = 165;
                this.namedResult();
                this.state = 170;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 166;
                    this.match(BertIRParser.T__2);
                    this.state = 167;
                    this.namedResult();
                    }
                    }
                    this.state = 172;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                this.state = 173;
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
        this.enterRule(localContext, 22, BertIRParser.RULE_namedResult);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 177;
            this.match(BertIRParser.ID);
            this.state = 178;
            this.match(BertIRParser.T__16);
            this.state = 179;
            this.tensorType();
            this.state = 182;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 5) {
                {
                this.state = 180;
                this.match(BertIRParser.T__4);
                this.state = 181;
                localContext._external = this.match(BertIRParser.STRING);
                }
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
    public tensorType(): TensorTypeContext {
        let localContext = new TensorTypeContext(this.context, this.state);
        this.enterRule(localContext, 24, BertIRParser.RULE_tensorType);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 184;
            localContext._dtype = this.match(BertIRParser.ID);
            this.state = 185;
            this.match(BertIRParser.T__19);
            this.state = 194;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (((((_la - 11)) & ~0x1F) === 0 && ((1 << (_la - 11)) & 3758293505) !== 0)) {
                {
                this.state = 186;
                this.expr(0);
                this.state = 191;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 187;
                    this.match(BertIRParser.T__2);
                    this.state = 188;
                    this.expr(0);
                    }
                    }
                    this.state = 193;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                }
            }

            this.state = 196;
            this.match(BertIRParser.T__20);
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
        this.enterRule(localContext, 26, BertIRParser.RULE_block);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 198;
            this.match(BertIRParser.T__1);
            this.state = 202;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while ((((_la) & ~0x1F) === 0 && ((1 << _la) & 130023680) !== 0) || _la === 41) {
                {
                {
                this.state = 199;
                this.stmt();
                }
                }
                this.state = 204;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 205;
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
        this.enterRule(localContext, 28, BertIRParser.RULE_stmt);
        try {
            this.state = 214;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.T__21:
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 207;
                this.paramDecl();
                }
                break;
            case BertIRParser.ID:
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 208;
                this.letStmt();
                }
                break;
            case BertIRParser.T__22:
                this.enterOuterAlt(localContext, 3);
                {
                this.state = 209;
                this.forStmt();
                }
                break;
            case BertIRParser.T__23:
                this.enterOuterAlt(localContext, 4);
                {
                this.state = 210;
                this.tapStmt();
                }
                break;
            case BertIRParser.T__7:
                this.enterOuterAlt(localContext, 5);
                {
                this.state = 211;
                this.assertStmt();
                }
                break;
            case BertIRParser.T__24:
                this.enterOuterAlt(localContext, 6);
                {
                this.state = 212;
                this.returnStmt();
                }
                break;
            case BertIRParser.T__25:
                this.enterOuterAlt(localContext, 7);
                {
                this.state = 213;
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
        this.enterRule(localContext, 30, BertIRParser.RULE_paramDecl);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 216;
            this.match(BertIRParser.T__21);
            this.state = 217;
            this.match(BertIRParser.ID);
            this.state = 218;
            this.match(BertIRParser.T__16);
            this.state = 219;
            this.tensorType();
            this.state = 222;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 5) {
                {
                this.state = 220;
                this.match(BertIRParser.T__4);
                this.state = 221;
                this.match(BertIRParser.STRING);
                }
            }

            this.state = 224;
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
        this.enterRule(localContext, 32, BertIRParser.RULE_letStmt);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 226;
            this.match(BertIRParser.ID);
            this.state = 229;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 17) {
                {
                this.state = 227;
                this.match(BertIRParser.T__16);
                this.state = 228;
                this.tensorType();
                }
            }

            this.state = 231;
            this.match(BertIRParser.T__4);
            this.state = 232;
            this.expr(0);
            this.state = 233;
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
        this.enterRule(localContext, 34, BertIRParser.RULE_forStmt);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 235;
            this.match(BertIRParser.T__22);
            this.state = 236;
            this.match(BertIRParser.ID);
            this.state = 237;
            this.match(BertIRParser.T__17);
            this.state = 238;
            this.expr(0);
            this.state = 239;
            this.match(BertIRParser.T__18);
            this.state = 240;
            this.expr(0);
            this.state = 241;
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
        this.enterRule(localContext, 36, BertIRParser.RULE_tapStmt);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 243;
            this.match(BertIRParser.T__23);
            this.state = 244;
            this.match(BertIRParser.STRING);
            this.state = 245;
            this.match(BertIRParser.T__4);
            this.state = 246;
            this.expr(0);
            this.state = 247;
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
        this.enterRule(localContext, 38, BertIRParser.RULE_returnStmt);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 249;
            this.match(BertIRParser.T__24);
            this.state = 250;
            this.expr(0);
            this.state = 255;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while (_la === 3) {
                {
                {
                this.state = 251;
                this.match(BertIRParser.T__2);
                this.state = 252;
                this.expr(0);
                }
                }
                this.state = 257;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 258;
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
        this.enterRule(localContext, 40, BertIRParser.RULE_kernelStmt);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 260;
            this.match(BertIRParser.T__25);
            this.state = 261;
            this.match(BertIRParser.ID);
            this.state = 262;
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
        let _startState = 42;
        this.enterRecursionRule(localContext, 42, BertIRParser.RULE_expr, _p);
        let _la: number;
        try {
            let alternative: number;
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 268;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.T__10:
            case BertIRParser.T__19:
            case BertIRParser.NUMBER:
            case BertIRParser.ID:
            case BertIRParser.STRING:
                {
                localContext = new PrimaryExprContext(localContext);
                this.context = localContext;
                previousContext = localContext;

                this.state = 265;
                this.primary();
                }
                break;
            case BertIRParser.T__26:
            case BertIRParser.T__27:
                {
                localContext = new UnaryExprContext(localContext);
                this.context = localContext;
                previousContext = localContext;
                this.state = 266;
                (localContext as UnaryExprContext)._op = this.tokenStream.LT(1);
                _la = this.tokenStream.LA(1);
                if(!(_la === 27 || _la === 28)) {
                    (localContext as UnaryExprContext)._op = this.errorHandler.recoverInline(this);
                }
                else {
                    this.errorHandler.reportMatch(this);
                    this.consume();
                }
                this.state = 267;
                this.expr(7);
                }
                break;
            default:
                throw new antlr.NoViableAltException(this);
            }
            this.context!.stop = this.tokenStream.LT(-1);
            this.state = 290;
            this.errorHandler.sync(this);
            alternative = this.interpreter.adaptivePredict(this.tokenStream, 26, this.context);
            while (alternative !== 2 && alternative !== antlr.ATN.INVALID_ALT_NUMBER) {
                if (alternative === 1) {
                    if (this.parseListeners != null) {
                        this.triggerExitRuleEvent();
                    }
                    previousContext = localContext;
                    {
                    this.state = 288;
                    this.errorHandler.sync(this);
                    switch (this.interpreter.adaptivePredict(this.tokenStream, 25, this.context) ) {
                    case 1:
                        {
                        localContext = new MulExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 270;
                        if (!(this.precpred(this.context, 6))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 6)");
                        }
                        this.state = 271;
                        (localContext as MulExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!((((_la) & ~0x1F) === 0 && ((1 << _la) & 3758096384) !== 0))) {
                            (localContext as MulExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 272;
                        this.expr(7);
                        }
                        break;
                    case 2:
                        {
                        localContext = new AddExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 273;
                        if (!(this.precpred(this.context, 5))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 5)");
                        }
                        this.state = 274;
                        (localContext as AddExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!(_la === 27 || _la === 32)) {
                            (localContext as AddExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 275;
                        this.expr(6);
                        }
                        break;
                    case 3:
                        {
                        localContext = new RelExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 276;
                        if (!(this.precpred(this.context, 4))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 4)");
                        }
                        this.state = 277;
                        (localContext as RelExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!(((((_la - 14)) & ~0x1F) === 0 && ((1 << (_la - 14)) & 1572867) !== 0))) {
                            (localContext as RelExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 278;
                        this.expr(5);
                        }
                        break;
                    case 4:
                        {
                        localContext = new EqExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 279;
                        if (!(this.precpred(this.context, 3))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 3)");
                        }
                        this.state = 280;
                        (localContext as EqExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!(_la === 35 || _la === 36)) {
                            (localContext as EqExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 281;
                        this.expr(4);
                        }
                        break;
                    case 5:
                        {
                        localContext = new AndExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 282;
                        if (!(this.precpred(this.context, 2))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 2)");
                        }
                        this.state = 283;
                        this.match(BertIRParser.T__36);
                        this.state = 284;
                        this.expr(3);
                        }
                        break;
                    case 6:
                        {
                        localContext = new OrExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 285;
                        if (!(this.precpred(this.context, 1))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 1)");
                        }
                        this.state = 286;
                        this.match(BertIRParser.T__37);
                        this.state = 287;
                        this.expr(2);
                        }
                        break;
                    }
                    }
                }
                this.state = 292;
                this.errorHandler.sync(this);
                alternative = this.interpreter.adaptivePredict(this.tokenStream, 26, this.context);
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
        this.enterRule(localContext, 44, BertIRParser.RULE_primary);
        let _la: number;
        try {
            this.state = 313;
            this.errorHandler.sync(this);
            switch (this.interpreter.adaptivePredict(this.tokenStream, 29, this.context) ) {
            case 1:
                localContext = new NumberLitContext(localContext);
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 293;
                this.match(BertIRParser.NUMBER);
                }
                break;
            case 2:
                localContext = new StringLitContext(localContext);
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 294;
                this.match(BertIRParser.STRING);
                }
                break;
            case 3:
                localContext = new CallExprContext(localContext);
                this.enterOuterAlt(localContext, 3);
                {
                this.state = 295;
                this.call();
                }
                break;
            case 4:
                localContext = new NameRefContext(localContext);
                this.enterOuterAlt(localContext, 4);
                {
                this.state = 296;
                this.match(BertIRParser.ID);
                }
                break;
            case 5:
                localContext = new ListLitContext(localContext);
                this.enterOuterAlt(localContext, 5);
                {
                this.state = 297;
                this.match(BertIRParser.T__19);
                this.state = 306;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                if (((((_la - 11)) & ~0x1F) === 0 && ((1 << (_la - 11)) & 3758293505) !== 0)) {
                    {
                    this.state = 298;
                    this.expr(0);
                    this.state = 303;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                    while (_la === 3) {
                        {
                        {
                        this.state = 299;
                        this.match(BertIRParser.T__2);
                        this.state = 300;
                        this.expr(0);
                        }
                        }
                        this.state = 305;
                        this.errorHandler.sync(this);
                        _la = this.tokenStream.LA(1);
                    }
                    }
                }

                this.state = 308;
                this.match(BertIRParser.T__20);
                }
                break;
            case 6:
                localContext = new ParenExprContext(localContext);
                this.enterOuterAlt(localContext, 6);
                {
                this.state = 309;
                this.match(BertIRParser.T__10);
                this.state = 310;
                this.expr(0);
                this.state = 311;
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
        this.enterRule(localContext, 46, BertIRParser.RULE_call);
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 315;
            localContext._callee = this.match(BertIRParser.ID);
            this.state = 316;
            this.match(BertIRParser.T__10);
            this.state = 325;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (((((_la - 11)) & ~0x1F) === 0 && ((1 << (_la - 11)) & 3758293505) !== 0)) {
                {
                this.state = 317;
                this.arg();
                this.state = 322;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 318;
                    this.match(BertIRParser.T__2);
                    this.state = 319;
                    this.arg();
                    }
                    }
                    this.state = 324;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                }
            }

            this.state = 327;
            this.match(BertIRParser.T__11);
            this.state = 330;
            this.errorHandler.sync(this);
            switch (this.interpreter.adaptivePredict(this.tokenStream, 32, this.context) ) {
            case 1:
                {
                this.state = 328;
                this.match(BertIRParser.T__38);
                this.state = 329;
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
        this.enterRule(localContext, 48, BertIRParser.RULE_arg);
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 334;
            this.errorHandler.sync(this);
            switch (this.interpreter.adaptivePredict(this.tokenStream, 33, this.context) ) {
            case 1:
                {
                this.state = 332;
                this.match(BertIRParser.ID);
                this.state = 333;
                this.match(BertIRParser.T__4);
                }
                break;
            }
            this.state = 336;
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
        case 21:
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
        4,1,46,339,2,0,7,0,2,1,7,1,2,2,7,2,2,3,7,3,2,4,7,4,2,5,7,5,2,6,7,
        6,2,7,7,7,2,8,7,8,2,9,7,9,2,10,7,10,2,11,7,11,2,12,7,12,2,13,7,13,
        2,14,7,14,2,15,7,15,2,16,7,16,2,17,7,17,2,18,7,18,2,19,7,19,2,20,
        7,20,2,21,7,21,2,22,7,22,2,23,7,23,2,24,7,24,1,0,5,0,52,8,0,10,0,
        12,0,55,9,0,1,0,1,0,1,1,1,1,1,1,1,1,1,1,3,1,64,8,1,1,2,1,2,1,2,1,
        2,1,2,1,2,5,2,72,8,2,10,2,12,2,75,9,2,1,2,3,2,78,8,2,3,2,80,8,2,
        1,2,1,2,1,3,1,3,1,3,1,3,1,4,1,4,1,4,1,4,1,4,1,4,1,5,1,5,1,5,1,5,
        3,5,98,8,5,1,5,1,5,1,6,1,6,1,6,3,6,105,8,6,1,6,1,6,1,6,1,6,5,6,111,
        8,6,10,6,12,6,114,9,6,3,6,116,8,6,1,6,1,6,1,6,1,6,1,6,1,7,1,7,1,
        7,1,7,5,7,127,8,7,10,7,12,7,130,9,7,1,7,1,7,1,8,1,8,1,8,1,8,1,8,
        1,8,5,8,140,8,8,10,8,12,8,143,9,8,3,8,145,8,8,1,8,1,8,1,8,1,9,1,
        9,1,9,1,9,1,9,1,9,1,9,1,9,3,9,158,8,9,1,9,1,9,3,9,162,8,9,1,10,1,
        10,1,10,1,10,1,10,5,10,169,8,10,10,10,12,10,172,9,10,1,10,1,10,3,
        10,176,8,10,1,11,1,11,1,11,1,11,1,11,3,11,183,8,11,1,12,1,12,1,12,
        1,12,1,12,5,12,190,8,12,10,12,12,12,193,9,12,3,12,195,8,12,1,12,
        1,12,1,13,1,13,5,13,201,8,13,10,13,12,13,204,9,13,1,13,1,13,1,14,
        1,14,1,14,1,14,1,14,1,14,1,14,3,14,215,8,14,1,15,1,15,1,15,1,15,
        1,15,1,15,3,15,223,8,15,1,15,1,15,1,16,1,16,1,16,3,16,230,8,16,1,
        16,1,16,1,16,1,16,1,17,1,17,1,17,1,17,1,17,1,17,1,17,1,17,1,18,1,
        18,1,18,1,18,1,18,1,18,1,19,1,19,1,19,1,19,5,19,254,8,19,10,19,12,
        19,257,9,19,1,19,1,19,1,20,1,20,1,20,1,20,1,21,1,21,1,21,1,21,3,
        21,269,8,21,1,21,1,21,1,21,1,21,1,21,1,21,1,21,1,21,1,21,1,21,1,
        21,1,21,1,21,1,21,1,21,1,21,1,21,1,21,5,21,289,8,21,10,21,12,21,
        292,9,21,1,22,1,22,1,22,1,22,1,22,1,22,1,22,1,22,5,22,302,8,22,10,
        22,12,22,305,9,22,3,22,307,8,22,1,22,1,22,1,22,1,22,1,22,3,22,314,
        8,22,1,23,1,23,1,23,1,23,1,23,5,23,321,8,23,10,23,12,23,324,9,23,
        3,23,326,8,23,1,23,1,23,1,23,3,23,331,8,23,1,24,1,24,3,24,335,8,
        24,1,24,1,24,1,24,0,1,42,25,0,2,4,6,8,10,12,14,16,18,20,22,24,26,
        28,30,32,34,36,38,40,42,44,46,48,0,6,1,0,9,10,1,0,27,28,1,0,29,31,
        2,0,27,27,32,32,2,0,14,15,33,34,1,0,35,36,363,0,53,1,0,0,0,2,63,
        1,0,0,0,4,65,1,0,0,0,6,83,1,0,0,0,8,87,1,0,0,0,10,93,1,0,0,0,12,
        101,1,0,0,0,14,122,1,0,0,0,16,133,1,0,0,0,18,149,1,0,0,0,20,175,
        1,0,0,0,22,177,1,0,0,0,24,184,1,0,0,0,26,198,1,0,0,0,28,214,1,0,
        0,0,30,216,1,0,0,0,32,226,1,0,0,0,34,235,1,0,0,0,36,243,1,0,0,0,
        38,249,1,0,0,0,40,260,1,0,0,0,42,268,1,0,0,0,44,313,1,0,0,0,46,315,
        1,0,0,0,48,334,1,0,0,0,50,52,3,2,1,0,51,50,1,0,0,0,52,55,1,0,0,0,
        53,51,1,0,0,0,53,54,1,0,0,0,54,56,1,0,0,0,55,53,1,0,0,0,56,57,5,
        0,0,1,57,1,1,0,0,0,58,64,3,4,2,0,59,64,3,8,4,0,60,64,3,10,5,0,61,
        64,3,12,6,0,62,64,3,16,8,0,63,58,1,0,0,0,63,59,1,0,0,0,63,60,1,0,
        0,0,63,61,1,0,0,0,63,62,1,0,0,0,64,3,1,0,0,0,65,66,5,1,0,0,66,67,
        5,41,0,0,67,79,5,2,0,0,68,73,3,6,3,0,69,70,5,3,0,0,70,72,3,6,3,0,
        71,69,1,0,0,0,72,75,1,0,0,0,73,71,1,0,0,0,73,74,1,0,0,0,74,77,1,
        0,0,0,75,73,1,0,0,0,76,78,5,3,0,0,77,76,1,0,0,0,77,78,1,0,0,0,78,
        80,1,0,0,0,79,68,1,0,0,0,79,80,1,0,0,0,80,81,1,0,0,0,81,82,5,4,0,
        0,82,5,1,0,0,0,83,84,5,41,0,0,84,85,5,5,0,0,85,86,3,42,21,0,86,7,
        1,0,0,0,87,88,5,6,0,0,88,89,5,41,0,0,89,90,5,5,0,0,90,91,3,42,21,
        0,91,92,5,7,0,0,92,9,1,0,0,0,93,94,5,8,0,0,94,97,3,42,21,0,95,96,
        5,3,0,0,96,98,5,42,0,0,97,95,1,0,0,0,97,98,1,0,0,0,98,99,1,0,0,0,
        99,100,5,7,0,0,100,11,1,0,0,0,101,102,7,0,0,0,102,104,5,41,0,0,103,
        105,3,14,7,0,104,103,1,0,0,0,104,105,1,0,0,0,105,106,1,0,0,0,106,
        115,5,11,0,0,107,112,3,18,9,0,108,109,5,3,0,0,109,111,3,18,9,0,110,
        108,1,0,0,0,111,114,1,0,0,0,112,110,1,0,0,0,112,113,1,0,0,0,113,
        116,1,0,0,0,114,112,1,0,0,0,115,107,1,0,0,0,115,116,1,0,0,0,116,
        117,1,0,0,0,117,118,5,12,0,0,118,119,5,13,0,0,119,120,3,20,10,0,
        120,121,3,26,13,0,121,13,1,0,0,0,122,123,5,14,0,0,123,128,5,41,0,
        0,124,125,5,3,0,0,125,127,5,41,0,0,126,124,1,0,0,0,127,130,1,0,0,
        0,128,126,1,0,0,0,128,129,1,0,0,0,129,131,1,0,0,0,130,128,1,0,0,
        0,131,132,5,15,0,0,132,15,1,0,0,0,133,134,5,16,0,0,134,135,5,41,
        0,0,135,144,5,11,0,0,136,141,3,18,9,0,137,138,5,3,0,0,138,140,3,
        18,9,0,139,137,1,0,0,0,140,143,1,0,0,0,141,139,1,0,0,0,141,142,1,
        0,0,0,142,145,1,0,0,0,143,141,1,0,0,0,144,136,1,0,0,0,144,145,1,
        0,0,0,145,146,1,0,0,0,146,147,5,12,0,0,147,148,3,26,13,0,148,17,
        1,0,0,0,149,150,5,41,0,0,150,151,5,17,0,0,151,157,3,24,12,0,152,
        153,5,18,0,0,153,154,3,42,21,0,154,155,5,19,0,0,155,156,3,42,21,
        0,156,158,1,0,0,0,157,152,1,0,0,0,157,158,1,0,0,0,158,161,1,0,0,
        0,159,160,5,5,0,0,160,162,5,42,0,0,161,159,1,0,0,0,161,162,1,0,0,
        0,162,19,1,0,0,0,163,176,3,24,12,0,164,165,5,11,0,0,165,170,3,22,
        11,0,166,167,5,3,0,0,167,169,3,22,11,0,168,166,1,0,0,0,169,172,1,
        0,0,0,170,168,1,0,0,0,170,171,1,0,0,0,171,173,1,0,0,0,172,170,1,
        0,0,0,173,174,5,12,0,0,174,176,1,0,0,0,175,163,1,0,0,0,175,164,1,
        0,0,0,176,21,1,0,0,0,177,178,5,41,0,0,178,179,5,17,0,0,179,182,3,
        24,12,0,180,181,5,5,0,0,181,183,5,42,0,0,182,180,1,0,0,0,182,183,
        1,0,0,0,183,23,1,0,0,0,184,185,5,41,0,0,185,194,5,20,0,0,186,191,
        3,42,21,0,187,188,5,3,0,0,188,190,3,42,21,0,189,187,1,0,0,0,190,
        193,1,0,0,0,191,189,1,0,0,0,191,192,1,0,0,0,192,195,1,0,0,0,193,
        191,1,0,0,0,194,186,1,0,0,0,194,195,1,0,0,0,195,196,1,0,0,0,196,
        197,5,21,0,0,197,25,1,0,0,0,198,202,5,2,0,0,199,201,3,28,14,0,200,
        199,1,0,0,0,201,204,1,0,0,0,202,200,1,0,0,0,202,203,1,0,0,0,203,
        205,1,0,0,0,204,202,1,0,0,0,205,206,5,4,0,0,206,27,1,0,0,0,207,215,
        3,30,15,0,208,215,3,32,16,0,209,215,3,34,17,0,210,215,3,36,18,0,
        211,215,3,10,5,0,212,215,3,38,19,0,213,215,3,40,20,0,214,207,1,0,
        0,0,214,208,1,0,0,0,214,209,1,0,0,0,214,210,1,0,0,0,214,211,1,0,
        0,0,214,212,1,0,0,0,214,213,1,0,0,0,215,29,1,0,0,0,216,217,5,22,
        0,0,217,218,5,41,0,0,218,219,5,17,0,0,219,222,3,24,12,0,220,221,
        5,5,0,0,221,223,5,42,0,0,222,220,1,0,0,0,222,223,1,0,0,0,223,224,
        1,0,0,0,224,225,5,7,0,0,225,31,1,0,0,0,226,229,5,41,0,0,227,228,
        5,17,0,0,228,230,3,24,12,0,229,227,1,0,0,0,229,230,1,0,0,0,230,231,
        1,0,0,0,231,232,5,5,0,0,232,233,3,42,21,0,233,234,5,7,0,0,234,33,
        1,0,0,0,235,236,5,23,0,0,236,237,5,41,0,0,237,238,5,18,0,0,238,239,
        3,42,21,0,239,240,5,19,0,0,240,241,3,42,21,0,241,242,3,26,13,0,242,
        35,1,0,0,0,243,244,5,24,0,0,244,245,5,42,0,0,245,246,5,5,0,0,246,
        247,3,42,21,0,247,248,5,7,0,0,248,37,1,0,0,0,249,250,5,25,0,0,250,
        255,3,42,21,0,251,252,5,3,0,0,252,254,3,42,21,0,253,251,1,0,0,0,
        254,257,1,0,0,0,255,253,1,0,0,0,255,256,1,0,0,0,256,258,1,0,0,0,
        257,255,1,0,0,0,258,259,5,7,0,0,259,39,1,0,0,0,260,261,5,26,0,0,
        261,262,5,41,0,0,262,263,3,26,13,0,263,41,1,0,0,0,264,265,6,21,-1,
        0,265,269,3,44,22,0,266,267,7,1,0,0,267,269,3,42,21,7,268,264,1,
        0,0,0,268,266,1,0,0,0,269,290,1,0,0,0,270,271,10,6,0,0,271,272,7,
        2,0,0,272,289,3,42,21,7,273,274,10,5,0,0,274,275,7,3,0,0,275,289,
        3,42,21,6,276,277,10,4,0,0,277,278,7,4,0,0,278,289,3,42,21,5,279,
        280,10,3,0,0,280,281,7,5,0,0,281,289,3,42,21,4,282,283,10,2,0,0,
        283,284,5,37,0,0,284,289,3,42,21,3,285,286,10,1,0,0,286,287,5,38,
        0,0,287,289,3,42,21,2,288,270,1,0,0,0,288,273,1,0,0,0,288,276,1,
        0,0,0,288,279,1,0,0,0,288,282,1,0,0,0,288,285,1,0,0,0,289,292,1,
        0,0,0,290,288,1,0,0,0,290,291,1,0,0,0,291,43,1,0,0,0,292,290,1,0,
        0,0,293,314,5,40,0,0,294,314,5,42,0,0,295,314,3,46,23,0,296,314,
        5,41,0,0,297,306,5,20,0,0,298,303,3,42,21,0,299,300,5,3,0,0,300,
        302,3,42,21,0,301,299,1,0,0,0,302,305,1,0,0,0,303,301,1,0,0,0,303,
        304,1,0,0,0,304,307,1,0,0,0,305,303,1,0,0,0,306,298,1,0,0,0,306,
        307,1,0,0,0,307,308,1,0,0,0,308,314,5,21,0,0,309,310,5,11,0,0,310,
        311,3,42,21,0,311,312,5,12,0,0,312,314,1,0,0,0,313,293,1,0,0,0,313,
        294,1,0,0,0,313,295,1,0,0,0,313,296,1,0,0,0,313,297,1,0,0,0,313,
        309,1,0,0,0,314,45,1,0,0,0,315,316,5,41,0,0,316,325,5,11,0,0,317,
        322,3,48,24,0,318,319,5,3,0,0,319,321,3,48,24,0,320,318,1,0,0,0,
        321,324,1,0,0,0,322,320,1,0,0,0,322,323,1,0,0,0,323,326,1,0,0,0,
        324,322,1,0,0,0,325,317,1,0,0,0,325,326,1,0,0,0,326,327,1,0,0,0,
        327,330,5,12,0,0,328,329,5,39,0,0,329,331,5,42,0,0,330,328,1,0,0,
        0,330,331,1,0,0,0,331,47,1,0,0,0,332,333,5,41,0,0,333,335,5,5,0,
        0,334,332,1,0,0,0,334,335,1,0,0,0,335,336,1,0,0,0,336,337,3,42,21,
        0,337,49,1,0,0,0,34,53,63,73,77,79,97,104,112,115,128,141,144,157,
        161,170,175,182,191,194,202,214,222,229,255,268,288,290,303,306,
        313,322,325,330,334
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
    public lossDecl(): LossDeclContext | null {
        return this.getRuleContext(0, LossDeclContext);
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


export class LossDeclContext extends antlr.ParserRuleContext {
    public _name?: Token | null;
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public block(): BlockContext {
        return this.getRuleContext(0, BlockContext)!;
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
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
        return BertIRParser.RULE_lossDecl;
    }
    public override accept<Result>(visitor: BertIRVisitor<Result>): Result | null {
        if (visitor.visitLossDecl) {
            return visitor.visitLossDecl(this);
        } else {
            return visitor.visitChildren(this);
        }
    }
}


export class InputContext extends antlr.ParserRuleContext {
    public _lo?: ExprContext;
    public _hi?: ExprContext;
    public _external?: Token | null;
    public constructor(parent: antlr.ParserRuleContext | null, invokingState: number) {
        super(parent, invokingState);
    }
    public ID(): antlr.TerminalNode {
        return this.getToken(BertIRParser.ID, 0)!;
    }
    public tensorType(): TensorTypeContext {
        return this.getRuleContext(0, TensorTypeContext)!;
    }
    public expr(): ExprContext[];
    public expr(i: number): ExprContext | null;
    public expr(i?: number): ExprContext[] | ExprContext | null {
        if (i === undefined) {
            return this.getRuleContexts(ExprContext);
        }

        return this.getRuleContext(i, ExprContext);
    }
    public STRING(): antlr.TerminalNode | null {
        return this.getToken(BertIRParser.STRING, 0);
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
    public _external?: Token | null;
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
