// Builds static/dist/, the only static folder Django serves and collects (settings.py).
// `grunt build` (the default) is for live: minified CSS, mangled JS. `grunt dev` is the
// same without minifying, with source maps. `grunt watch` rebuilds on every change.
'use strict';

module.exports = function (grunt) {
    const dist = 'static/dist';
    const projectJs = 'static/js/*.js';

    // Upstream's own minified builds, each with its source map: the .min files name their
    // map in a sourceMappingURL comment, and collectstatic's manifest storage fails on a
    // reference to a file that is missing.
    const vendorFiles = [
        ['bootstrap/dist/js/bootstrap.bundle.min.js', 'bootstrap'],
        ['bootstrap/dist/js/bootstrap.bundle.min.js.map', 'bootstrap'],
        ['htmx.org/dist/htmx.min.js', 'htmx'],
        ['tom-select/dist/js/tom-select.complete.min.js', 'tom-select'],
        ['tom-select/dist/js/tom-select.complete.min.js.map', 'tom-select'],
        ['tom-select/dist/css/tom-select.bootstrap5.min.css', 'tom-select'],
        ['tom-select/dist/css/tom-select.bootstrap5.min.css.map', 'tom-select'],
        ['chart.js/dist/chart.umd.min.js', 'chart.js'],
        ['chart.js/dist/chart.umd.min.js.map', 'chart.js'],
        // The browser build bundles every CKEditor plugin in one file; editor.js picks
        // the few whose output the server's allow-list keeps (recruitment/richtext.py).
        ['ckeditor5/dist/browser/ckeditor5.umd.js', 'ckeditor5'],
        ['ckeditor5/dist/browser/ckeditor5.umd.js.map', 'ckeditor5'],
        ['ckeditor5/dist/browser/ckeditor5.css', 'ckeditor5'],
        ['ckeditor5/dist/browser/ckeditor5.css.map', 'ckeditor5'],
    ].map(([src, folder]) => ({
        src: `bower_components/${src}`,
        dest: `${dist}/vendor/${folder}/`,
        expand: true,
        flatten: true,
        nonull: true,
    }));

    const sassOptions = {
        implementation: require('sass'),
        loadPaths: ['bower_components'],
        // Bootstrap 5.3 still uses @import and Sass's global functions; its deprecation
        // warnings are upstream's to fix and would drown ours.
        quietDeps: true,
        silenceDeprecations: ['import'],
    };

    grunt.initConfig({
        clean: {
            dist: [dist],
        },

        jshint: {
            options: {
                esversion: 11,
                curly: true,
                eqeqeq: true,
                undef: true,
                unused: true,
            },
            gruntfile: {
                options: {node: true, strict: 'global'},
                src: ['Gruntfile.js'],
            },
            project: {
                options: {
                    browser: true,
                    globals: {bootstrap: false, htmx: false, TomSelect: false, Chart: false, CKEDITOR: false},
                },
                src: ['static/js/**/*.js'],
            },
        },

        copy: {
            vendor: {files: vendorFiles},
        },

        sass: {
            build: {
                options: {...sassOptions, style: 'expanded', sourceMap: false},
                files: {[`${dist}/css/rms.css`]: 'static/scss/rms.scss'},
            },
            dev: {
                options: {...sassOptions, style: 'expanded', sourceMap: true, sourceMapIncludeSources: true},
                files: {[`${dist}/css/rms.css`]: 'static/scss/rms.scss'},
            },
        },

        cssmin: {
            build: {
                files: {[`${dist}/css/rms.css`]: `${dist}/css/rms.css`},
            },
        },

        concat: {
            options: {separator: ';\n'},
            build: {
                src: [projectJs],
                dest: `${dist}/js/rms.js`,
            },
            dev: {
                options: {sourceMap: true},
                src: [projectJs],
                dest: `${dist}/js/rms.js`,
            },
        },

        uglify: {
            build: {
                options: {mangle: true, compress: true},
                files: {[`${dist}/js/rms.js`]: `${dist}/js/rms.js`},
            },
        },

        watch: {
            options: {spawn: false},
            scss: {
                files: ['static/scss/**/*.scss'],
                tasks: ['sass:dev'],
            },
            js: {
                files: ['static/js/**/*.js'],
                tasks: ['jshint:project', 'concat:dev'],
            },
            vendor: {
                files: ['bower.json', 'Gruntfile.js'],
                tasks: ['dev'],
            },
        },
    });

    grunt.loadNpmTasks('grunt-contrib-clean');
    grunt.loadNpmTasks('grunt-contrib-concat');
    grunt.loadNpmTasks('grunt-contrib-copy');
    grunt.loadNpmTasks('grunt-contrib-cssmin');
    grunt.loadNpmTasks('grunt-contrib-jshint');
    grunt.loadNpmTasks('grunt-contrib-uglify');
    grunt.loadNpmTasks('grunt-contrib-watch');
    grunt.loadNpmTasks('grunt-sass');

    grunt.registerTask('build', [
        'clean', 'jshint', 'copy', 'sass:build', 'cssmin', 'concat:build', 'uglify',
    ]);
    grunt.registerTask('dev', ['clean', 'jshint', 'copy', 'sass:dev', 'concat:dev']);
    grunt.registerTask('default', ['build']);
};
