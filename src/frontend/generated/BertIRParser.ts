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
        "':'", "'in'", "'..'", "'['", "']'", "'param'", "'for'", "'tap'", 
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
        let _la: number;
        try {
            this.enterOuterAlt(localContext, 1);
            {
            this.state = 130;
            this.match(BertIRParser.ID);
            this.state = 131;
            this.match(BertIRParser.T__15);
            this.state = 132;
            this.tensorType();
            this.state = 138;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 17) {
                {
                this.state = 133;
                this.match(BertIRParser.T__16);
                this.state = 134;
                localContext._lo = this.expr(0);
                this.state = 135;
                this.match(BertIRParser.T__17);
                this.state = 136;
                localContext._hi = this.expr(0);
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
        this.enterRule(localContext, 18, BertIRParser.RULE_results);
        let _la: number;
        try {
            this.state = 152;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.ID:
                localContext = new SingleResultContext(localContext);
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 140;
                this.tensorType();
                }
                break;
            case BertIRParser.T__10:
                localContext = new NamedResultsContext(localContext);
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 141;
                this.match(BertIRParser.T__10);
                this.state = 142;
                this.namedResult();
                this.state = 147;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 143;
                    this.match(BertIRParser.T__2);
                    this.state = 144;
                    this.namedResult();
                    }
                    }
                    this.state = 149;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                this.state = 150;
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
            this.state = 154;
            this.match(BertIRParser.ID);
            this.state = 155;
            this.match(BertIRParser.T__15);
            this.state = 156;
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
            this.state = 158;
            localContext._dtype = this.match(BertIRParser.ID);
            this.state = 159;
            this.match(BertIRParser.T__18);
            this.state = 168;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (((((_la - 11)) & ~0x1F) === 0 && ((1 << (_la - 11)) & 1879146753) !== 0)) {
                {
                this.state = 160;
                this.expr(0);
                this.state = 165;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 161;
                    this.match(BertIRParser.T__2);
                    this.state = 162;
                    this.expr(0);
                    }
                    }
                    this.state = 167;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                }
            }

            this.state = 170;
            this.match(BertIRParser.T__19);
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
            this.state = 172;
            this.match(BertIRParser.T__1);
            this.state = 176;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while ((((_la) & ~0x1F) === 0 && ((1 << _la) & 65011968) !== 0) || _la === 40) {
                {
                {
                this.state = 173;
                this.stmt();
                }
                }
                this.state = 178;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 179;
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
            this.state = 188;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.T__20:
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 181;
                this.paramDecl();
                }
                break;
            case BertIRParser.ID:
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 182;
                this.letStmt();
                }
                break;
            case BertIRParser.T__21:
                this.enterOuterAlt(localContext, 3);
                {
                this.state = 183;
                this.forStmt();
                }
                break;
            case BertIRParser.T__22:
                this.enterOuterAlt(localContext, 4);
                {
                this.state = 184;
                this.tapStmt();
                }
                break;
            case BertIRParser.T__7:
                this.enterOuterAlt(localContext, 5);
                {
                this.state = 185;
                this.assertStmt();
                }
                break;
            case BertIRParser.T__23:
                this.enterOuterAlt(localContext, 6);
                {
                this.state = 186;
                this.returnStmt();
                }
                break;
            case BertIRParser.T__24:
                this.enterOuterAlt(localContext, 7);
                {
                this.state = 187;
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
            this.state = 190;
            this.match(BertIRParser.T__20);
            this.state = 191;
            this.match(BertIRParser.ID);
            this.state = 192;
            this.match(BertIRParser.T__15);
            this.state = 193;
            this.tensorType();
            this.state = 196;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 5) {
                {
                this.state = 194;
                this.match(BertIRParser.T__4);
                this.state = 195;
                this.match(BertIRParser.STRING);
                }
            }

            this.state = 198;
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
            this.state = 200;
            this.match(BertIRParser.ID);
            this.state = 203;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (_la === 16) {
                {
                this.state = 201;
                this.match(BertIRParser.T__15);
                this.state = 202;
                this.tensorType();
                }
            }

            this.state = 205;
            this.match(BertIRParser.T__4);
            this.state = 206;
            this.expr(0);
            this.state = 207;
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
            this.state = 209;
            this.match(BertIRParser.T__21);
            this.state = 210;
            this.match(BertIRParser.ID);
            this.state = 211;
            this.match(BertIRParser.T__16);
            this.state = 212;
            this.expr(0);
            this.state = 213;
            this.match(BertIRParser.T__17);
            this.state = 214;
            this.expr(0);
            this.state = 215;
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
            this.state = 217;
            this.match(BertIRParser.T__22);
            this.state = 218;
            this.match(BertIRParser.STRING);
            this.state = 219;
            this.match(BertIRParser.T__4);
            this.state = 220;
            this.expr(0);
            this.state = 221;
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
            this.state = 223;
            this.match(BertIRParser.T__23);
            this.state = 224;
            this.expr(0);
            this.state = 229;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            while (_la === 3) {
                {
                {
                this.state = 225;
                this.match(BertIRParser.T__2);
                this.state = 226;
                this.expr(0);
                }
                }
                this.state = 231;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
            }
            this.state = 232;
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
            this.state = 234;
            this.match(BertIRParser.T__24);
            this.state = 235;
            this.match(BertIRParser.ID);
            this.state = 236;
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
            this.state = 242;
            this.errorHandler.sync(this);
            switch (this.tokenStream.LA(1)) {
            case BertIRParser.T__10:
            case BertIRParser.T__18:
            case BertIRParser.NUMBER:
            case BertIRParser.ID:
            case BertIRParser.STRING:
                {
                localContext = new PrimaryExprContext(localContext);
                this.context = localContext;
                previousContext = localContext;

                this.state = 239;
                this.primary();
                }
                break;
            case BertIRParser.T__25:
            case BertIRParser.T__26:
                {
                localContext = new UnaryExprContext(localContext);
                this.context = localContext;
                previousContext = localContext;
                this.state = 240;
                (localContext as UnaryExprContext)._op = this.tokenStream.LT(1);
                _la = this.tokenStream.LA(1);
                if(!(_la === 26 || _la === 27)) {
                    (localContext as UnaryExprContext)._op = this.errorHandler.recoverInline(this);
                }
                else {
                    this.errorHandler.reportMatch(this);
                    this.consume();
                }
                this.state = 241;
                this.expr(7);
                }
                break;
            default:
                throw new antlr.NoViableAltException(this);
            }
            this.context!.stop = this.tokenStream.LT(-1);
            this.state = 264;
            this.errorHandler.sync(this);
            alternative = this.interpreter.adaptivePredict(this.tokenStream, 22, this.context);
            while (alternative !== 2 && alternative !== antlr.ATN.INVALID_ALT_NUMBER) {
                if (alternative === 1) {
                    if (this.parseListeners != null) {
                        this.triggerExitRuleEvent();
                    }
                    previousContext = localContext;
                    {
                    this.state = 262;
                    this.errorHandler.sync(this);
                    switch (this.interpreter.adaptivePredict(this.tokenStream, 21, this.context) ) {
                    case 1:
                        {
                        localContext = new MulExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 244;
                        if (!(this.precpred(this.context, 6))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 6)");
                        }
                        this.state = 245;
                        (localContext as MulExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!((((_la) & ~0x1F) === 0 && ((1 << _la) & 1879048192) !== 0))) {
                            (localContext as MulExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 246;
                        this.expr(7);
                        }
                        break;
                    case 2:
                        {
                        localContext = new AddExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 247;
                        if (!(this.precpred(this.context, 5))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 5)");
                        }
                        this.state = 248;
                        (localContext as AddExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!(_la === 26 || _la === 31)) {
                            (localContext as AddExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 249;
                        this.expr(6);
                        }
                        break;
                    case 3:
                        {
                        localContext = new RelExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 250;
                        if (!(this.precpred(this.context, 4))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 4)");
                        }
                        this.state = 251;
                        (localContext as RelExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!(((((_la - 14)) & ~0x1F) === 0 && ((1 << (_la - 14)) & 786435) !== 0))) {
                            (localContext as RelExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 252;
                        this.expr(5);
                        }
                        break;
                    case 4:
                        {
                        localContext = new EqExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 253;
                        if (!(this.precpred(this.context, 3))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 3)");
                        }
                        this.state = 254;
                        (localContext as EqExprContext)._op = this.tokenStream.LT(1);
                        _la = this.tokenStream.LA(1);
                        if(!(_la === 34 || _la === 35)) {
                            (localContext as EqExprContext)._op = this.errorHandler.recoverInline(this);
                        }
                        else {
                            this.errorHandler.reportMatch(this);
                            this.consume();
                        }
                        this.state = 255;
                        this.expr(4);
                        }
                        break;
                    case 5:
                        {
                        localContext = new AndExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 256;
                        if (!(this.precpred(this.context, 2))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 2)");
                        }
                        this.state = 257;
                        this.match(BertIRParser.T__35);
                        this.state = 258;
                        this.expr(3);
                        }
                        break;
                    case 6:
                        {
                        localContext = new OrExprContext(new ExprContext(parentContext, parentState));
                        this.pushNewRecursionContext(localContext, _startState, BertIRParser.RULE_expr);
                        this.state = 259;
                        if (!(this.precpred(this.context, 1))) {
                            throw this.createFailedPredicateException("this.precpred(this.context, 1)");
                        }
                        this.state = 260;
                        this.match(BertIRParser.T__36);
                        this.state = 261;
                        this.expr(2);
                        }
                        break;
                    }
                    }
                }
                this.state = 266;
                this.errorHandler.sync(this);
                alternative = this.interpreter.adaptivePredict(this.tokenStream, 22, this.context);
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
            this.state = 287;
            this.errorHandler.sync(this);
            switch (this.interpreter.adaptivePredict(this.tokenStream, 25, this.context) ) {
            case 1:
                localContext = new NumberLitContext(localContext);
                this.enterOuterAlt(localContext, 1);
                {
                this.state = 267;
                this.match(BertIRParser.NUMBER);
                }
                break;
            case 2:
                localContext = new StringLitContext(localContext);
                this.enterOuterAlt(localContext, 2);
                {
                this.state = 268;
                this.match(BertIRParser.STRING);
                }
                break;
            case 3:
                localContext = new CallExprContext(localContext);
                this.enterOuterAlt(localContext, 3);
                {
                this.state = 269;
                this.call();
                }
                break;
            case 4:
                localContext = new NameRefContext(localContext);
                this.enterOuterAlt(localContext, 4);
                {
                this.state = 270;
                this.match(BertIRParser.ID);
                }
                break;
            case 5:
                localContext = new ListLitContext(localContext);
                this.enterOuterAlt(localContext, 5);
                {
                this.state = 271;
                this.match(BertIRParser.T__18);
                this.state = 280;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                if (((((_la - 11)) & ~0x1F) === 0 && ((1 << (_la - 11)) & 1879146753) !== 0)) {
                    {
                    this.state = 272;
                    this.expr(0);
                    this.state = 277;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                    while (_la === 3) {
                        {
                        {
                        this.state = 273;
                        this.match(BertIRParser.T__2);
                        this.state = 274;
                        this.expr(0);
                        }
                        }
                        this.state = 279;
                        this.errorHandler.sync(this);
                        _la = this.tokenStream.LA(1);
                    }
                    }
                }

                this.state = 282;
                this.match(BertIRParser.T__19);
                }
                break;
            case 6:
                localContext = new ParenExprContext(localContext);
                this.enterOuterAlt(localContext, 6);
                {
                this.state = 283;
                this.match(BertIRParser.T__10);
                this.state = 284;
                this.expr(0);
                this.state = 285;
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
            this.state = 289;
            localContext._callee = this.match(BertIRParser.ID);
            this.state = 290;
            this.match(BertIRParser.T__10);
            this.state = 299;
            this.errorHandler.sync(this);
            _la = this.tokenStream.LA(1);
            if (((((_la - 11)) & ~0x1F) === 0 && ((1 << (_la - 11)) & 1879146753) !== 0)) {
                {
                this.state = 291;
                this.arg();
                this.state = 296;
                this.errorHandler.sync(this);
                _la = this.tokenStream.LA(1);
                while (_la === 3) {
                    {
                    {
                    this.state = 292;
                    this.match(BertIRParser.T__2);
                    this.state = 293;
                    this.arg();
                    }
                    }
                    this.state = 298;
                    this.errorHandler.sync(this);
                    _la = this.tokenStream.LA(1);
                }
                }
            }

            this.state = 301;
            this.match(BertIRParser.T__11);
            this.state = 304;
            this.errorHandler.sync(this);
            switch (this.interpreter.adaptivePredict(this.tokenStream, 28, this.context) ) {
            case 1:
                {
                this.state = 302;
                this.match(BertIRParser.T__37);
                this.state = 303;
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
            this.state = 308;
            this.errorHandler.sync(this);
            switch (this.interpreter.adaptivePredict(this.tokenStream, 29, this.context) ) {
            case 1:
                {
                this.state = 306;
                this.match(BertIRParser.ID);
                this.state = 307;
                this.match(BertIRParser.T__4);
                }
                break;
            }
            this.state = 310;
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
        4,1,45,313,2,0,7,0,2,1,7,1,2,2,7,2,2,3,7,3,2,4,7,4,2,5,7,5,2,6,7,
        6,2,7,7,7,2,8,7,8,2,9,7,9,2,10,7,10,2,11,7,11,2,12,7,12,2,13,7,13,
        2,14,7,14,2,15,7,15,2,16,7,16,2,17,7,17,2,18,7,18,2,19,7,19,2,20,
        7,20,2,21,7,21,2,22,7,22,2,23,7,23,1,0,5,0,50,8,0,10,0,12,0,53,9,
        0,1,0,1,0,1,1,1,1,1,1,1,1,3,1,61,8,1,1,2,1,2,1,2,1,2,1,2,1,2,5,2,
        69,8,2,10,2,12,2,72,9,2,1,2,3,2,75,8,2,3,2,77,8,2,1,2,1,2,1,3,1,
        3,1,3,1,3,1,4,1,4,1,4,1,4,1,4,1,4,1,5,1,5,1,5,1,5,3,5,95,8,5,1,5,
        1,5,1,6,1,6,1,6,3,6,102,8,6,1,6,1,6,1,6,1,6,5,6,108,8,6,10,6,12,
        6,111,9,6,3,6,113,8,6,1,6,1,6,1,6,1,6,1,6,1,7,1,7,1,7,1,7,5,7,124,
        8,7,10,7,12,7,127,9,7,1,7,1,7,1,8,1,8,1,8,1,8,1,8,1,8,1,8,1,8,3,
        8,139,8,8,1,9,1,9,1,9,1,9,1,9,5,9,146,8,9,10,9,12,9,149,9,9,1,9,
        1,9,3,9,153,8,9,1,10,1,10,1,10,1,10,1,11,1,11,1,11,1,11,1,11,5,11,
        164,8,11,10,11,12,11,167,9,11,3,11,169,8,11,1,11,1,11,1,12,1,12,
        5,12,175,8,12,10,12,12,12,178,9,12,1,12,1,12,1,13,1,13,1,13,1,13,
        1,13,1,13,1,13,3,13,189,8,13,1,14,1,14,1,14,1,14,1,14,1,14,3,14,
        197,8,14,1,14,1,14,1,15,1,15,1,15,3,15,204,8,15,1,15,1,15,1,15,1,
        15,1,16,1,16,1,16,1,16,1,16,1,16,1,16,1,16,1,17,1,17,1,17,1,17,1,
        17,1,17,1,18,1,18,1,18,1,18,5,18,228,8,18,10,18,12,18,231,9,18,1,
        18,1,18,1,19,1,19,1,19,1,19,1,20,1,20,1,20,1,20,3,20,243,8,20,1,
        20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,20,1,
        20,1,20,1,20,1,20,1,20,5,20,263,8,20,10,20,12,20,266,9,20,1,21,1,
        21,1,21,1,21,1,21,1,21,1,21,1,21,5,21,276,8,21,10,21,12,21,279,9,
        21,3,21,281,8,21,1,21,1,21,1,21,1,21,1,21,3,21,288,8,21,1,22,1,22,
        1,22,1,22,1,22,5,22,295,8,22,10,22,12,22,298,9,22,3,22,300,8,22,
        1,22,1,22,1,22,3,22,305,8,22,1,23,1,23,3,23,309,8,23,1,23,1,23,1,
        23,0,1,40,24,0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,
        38,40,42,44,46,0,6,1,0,9,10,1,0,26,27,1,0,28,30,2,0,26,26,31,31,
        2,0,14,15,32,33,1,0,34,35,333,0,51,1,0,0,0,2,60,1,0,0,0,4,62,1,0,
        0,0,6,80,1,0,0,0,8,84,1,0,0,0,10,90,1,0,0,0,12,98,1,0,0,0,14,119,
        1,0,0,0,16,130,1,0,0,0,18,152,1,0,0,0,20,154,1,0,0,0,22,158,1,0,
        0,0,24,172,1,0,0,0,26,188,1,0,0,0,28,190,1,0,0,0,30,200,1,0,0,0,
        32,209,1,0,0,0,34,217,1,0,0,0,36,223,1,0,0,0,38,234,1,0,0,0,40,242,
        1,0,0,0,42,287,1,0,0,0,44,289,1,0,0,0,46,308,1,0,0,0,48,50,3,2,1,
        0,49,48,1,0,0,0,50,53,1,0,0,0,51,49,1,0,0,0,51,52,1,0,0,0,52,54,
        1,0,0,0,53,51,1,0,0,0,54,55,5,0,0,1,55,1,1,0,0,0,56,61,3,4,2,0,57,
        61,3,8,4,0,58,61,3,10,5,0,59,61,3,12,6,0,60,56,1,0,0,0,60,57,1,0,
        0,0,60,58,1,0,0,0,60,59,1,0,0,0,61,3,1,0,0,0,62,63,5,1,0,0,63,64,
        5,40,0,0,64,76,5,2,0,0,65,70,3,6,3,0,66,67,5,3,0,0,67,69,3,6,3,0,
        68,66,1,0,0,0,69,72,1,0,0,0,70,68,1,0,0,0,70,71,1,0,0,0,71,74,1,
        0,0,0,72,70,1,0,0,0,73,75,5,3,0,0,74,73,1,0,0,0,74,75,1,0,0,0,75,
        77,1,0,0,0,76,65,1,0,0,0,76,77,1,0,0,0,77,78,1,0,0,0,78,79,5,4,0,
        0,79,5,1,0,0,0,80,81,5,40,0,0,81,82,5,5,0,0,82,83,3,40,20,0,83,7,
        1,0,0,0,84,85,5,6,0,0,85,86,5,40,0,0,86,87,5,5,0,0,87,88,3,40,20,
        0,88,89,5,7,0,0,89,9,1,0,0,0,90,91,5,8,0,0,91,94,3,40,20,0,92,93,
        5,3,0,0,93,95,5,41,0,0,94,92,1,0,0,0,94,95,1,0,0,0,95,96,1,0,0,0,
        96,97,5,7,0,0,97,11,1,0,0,0,98,99,7,0,0,0,99,101,5,40,0,0,100,102,
        3,14,7,0,101,100,1,0,0,0,101,102,1,0,0,0,102,103,1,0,0,0,103,112,
        5,11,0,0,104,109,3,16,8,0,105,106,5,3,0,0,106,108,3,16,8,0,107,105,
        1,0,0,0,108,111,1,0,0,0,109,107,1,0,0,0,109,110,1,0,0,0,110,113,
        1,0,0,0,111,109,1,0,0,0,112,104,1,0,0,0,112,113,1,0,0,0,113,114,
        1,0,0,0,114,115,5,12,0,0,115,116,5,13,0,0,116,117,3,18,9,0,117,118,
        3,24,12,0,118,13,1,0,0,0,119,120,5,14,0,0,120,125,5,40,0,0,121,122,
        5,3,0,0,122,124,5,40,0,0,123,121,1,0,0,0,124,127,1,0,0,0,125,123,
        1,0,0,0,125,126,1,0,0,0,126,128,1,0,0,0,127,125,1,0,0,0,128,129,
        5,15,0,0,129,15,1,0,0,0,130,131,5,40,0,0,131,132,5,16,0,0,132,138,
        3,22,11,0,133,134,5,17,0,0,134,135,3,40,20,0,135,136,5,18,0,0,136,
        137,3,40,20,0,137,139,1,0,0,0,138,133,1,0,0,0,138,139,1,0,0,0,139,
        17,1,0,0,0,140,153,3,22,11,0,141,142,5,11,0,0,142,147,3,20,10,0,
        143,144,5,3,0,0,144,146,3,20,10,0,145,143,1,0,0,0,146,149,1,0,0,
        0,147,145,1,0,0,0,147,148,1,0,0,0,148,150,1,0,0,0,149,147,1,0,0,
        0,150,151,5,12,0,0,151,153,1,0,0,0,152,140,1,0,0,0,152,141,1,0,0,
        0,153,19,1,0,0,0,154,155,5,40,0,0,155,156,5,16,0,0,156,157,3,22,
        11,0,157,21,1,0,0,0,158,159,5,40,0,0,159,168,5,19,0,0,160,165,3,
        40,20,0,161,162,5,3,0,0,162,164,3,40,20,0,163,161,1,0,0,0,164,167,
        1,0,0,0,165,163,1,0,0,0,165,166,1,0,0,0,166,169,1,0,0,0,167,165,
        1,0,0,0,168,160,1,0,0,0,168,169,1,0,0,0,169,170,1,0,0,0,170,171,
        5,20,0,0,171,23,1,0,0,0,172,176,5,2,0,0,173,175,3,26,13,0,174,173,
        1,0,0,0,175,178,1,0,0,0,176,174,1,0,0,0,176,177,1,0,0,0,177,179,
        1,0,0,0,178,176,1,0,0,0,179,180,5,4,0,0,180,25,1,0,0,0,181,189,3,
        28,14,0,182,189,3,30,15,0,183,189,3,32,16,0,184,189,3,34,17,0,185,
        189,3,10,5,0,186,189,3,36,18,0,187,189,3,38,19,0,188,181,1,0,0,0,
        188,182,1,0,0,0,188,183,1,0,0,0,188,184,1,0,0,0,188,185,1,0,0,0,
        188,186,1,0,0,0,188,187,1,0,0,0,189,27,1,0,0,0,190,191,5,21,0,0,
        191,192,5,40,0,0,192,193,5,16,0,0,193,196,3,22,11,0,194,195,5,5,
        0,0,195,197,5,41,0,0,196,194,1,0,0,0,196,197,1,0,0,0,197,198,1,0,
        0,0,198,199,5,7,0,0,199,29,1,0,0,0,200,203,5,40,0,0,201,202,5,16,
        0,0,202,204,3,22,11,0,203,201,1,0,0,0,203,204,1,0,0,0,204,205,1,
        0,0,0,205,206,5,5,0,0,206,207,3,40,20,0,207,208,5,7,0,0,208,31,1,
        0,0,0,209,210,5,22,0,0,210,211,5,40,0,0,211,212,5,17,0,0,212,213,
        3,40,20,0,213,214,5,18,0,0,214,215,3,40,20,0,215,216,3,24,12,0,216,
        33,1,0,0,0,217,218,5,23,0,0,218,219,5,41,0,0,219,220,5,5,0,0,220,
        221,3,40,20,0,221,222,5,7,0,0,222,35,1,0,0,0,223,224,5,24,0,0,224,
        229,3,40,20,0,225,226,5,3,0,0,226,228,3,40,20,0,227,225,1,0,0,0,
        228,231,1,0,0,0,229,227,1,0,0,0,229,230,1,0,0,0,230,232,1,0,0,0,
        231,229,1,0,0,0,232,233,5,7,0,0,233,37,1,0,0,0,234,235,5,25,0,0,
        235,236,5,40,0,0,236,237,3,24,12,0,237,39,1,0,0,0,238,239,6,20,-1,
        0,239,243,3,42,21,0,240,241,7,1,0,0,241,243,3,40,20,7,242,238,1,
        0,0,0,242,240,1,0,0,0,243,264,1,0,0,0,244,245,10,6,0,0,245,246,7,
        2,0,0,246,263,3,40,20,7,247,248,10,5,0,0,248,249,7,3,0,0,249,263,
        3,40,20,6,250,251,10,4,0,0,251,252,7,4,0,0,252,263,3,40,20,5,253,
        254,10,3,0,0,254,255,7,5,0,0,255,263,3,40,20,4,256,257,10,2,0,0,
        257,258,5,36,0,0,258,263,3,40,20,3,259,260,10,1,0,0,260,261,5,37,
        0,0,261,263,3,40,20,2,262,244,1,0,0,0,262,247,1,0,0,0,262,250,1,
        0,0,0,262,253,1,0,0,0,262,256,1,0,0,0,262,259,1,0,0,0,263,266,1,
        0,0,0,264,262,1,0,0,0,264,265,1,0,0,0,265,41,1,0,0,0,266,264,1,0,
        0,0,267,288,5,39,0,0,268,288,5,41,0,0,269,288,3,44,22,0,270,288,
        5,40,0,0,271,280,5,19,0,0,272,277,3,40,20,0,273,274,5,3,0,0,274,
        276,3,40,20,0,275,273,1,0,0,0,276,279,1,0,0,0,277,275,1,0,0,0,277,
        278,1,0,0,0,278,281,1,0,0,0,279,277,1,0,0,0,280,272,1,0,0,0,280,
        281,1,0,0,0,281,282,1,0,0,0,282,288,5,20,0,0,283,284,5,11,0,0,284,
        285,3,40,20,0,285,286,5,12,0,0,286,288,1,0,0,0,287,267,1,0,0,0,287,
        268,1,0,0,0,287,269,1,0,0,0,287,270,1,0,0,0,287,271,1,0,0,0,287,
        283,1,0,0,0,288,43,1,0,0,0,289,290,5,40,0,0,290,299,5,11,0,0,291,
        296,3,46,23,0,292,293,5,3,0,0,293,295,3,46,23,0,294,292,1,0,0,0,
        295,298,1,0,0,0,296,294,1,0,0,0,296,297,1,0,0,0,297,300,1,0,0,0,
        298,296,1,0,0,0,299,291,1,0,0,0,299,300,1,0,0,0,300,301,1,0,0,0,
        301,304,5,12,0,0,302,303,5,38,0,0,303,305,5,41,0,0,304,302,1,0,0,
        0,304,305,1,0,0,0,305,45,1,0,0,0,306,307,5,40,0,0,307,309,5,5,0,
        0,308,306,1,0,0,0,308,309,1,0,0,0,309,310,1,0,0,0,310,311,3,40,20,
        0,311,47,1,0,0,0,30,51,60,70,74,76,94,101,109,112,125,138,147,152,
        165,168,176,188,196,203,229,242,262,264,277,280,287,296,299,304,
        308
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
    public _lo?: ExprContext;
    public _hi?: ExprContext;
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
