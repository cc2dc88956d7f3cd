module filters

go 1.19
