#!/usr/bin/env node
import '../out/language/main.js';
